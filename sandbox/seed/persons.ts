/**
 * The people who exist in the sandbox world. HIS, the mobile-payment centre, WeChat and Alipay
 * sandboxes all read this one list, as the real systems share real people. The ID numbers are
 * synthetic (valid check digits, invented people).
 *
 * The H5 preview picks one with `?patient=<key>`; their WeChat openid is `sandbox-<key>` and
 * their Alipay user id is `2088` + a fixed number.
 */
export interface SandboxInsurance {
  regionCode: string;
  /** 'insured' | 'not_enrolled' (never insured here) | 'suspended' (停保) */
  status: 'insured' | 'not_enrolled' | 'suspended';
  psnNo?: string;
  /** 310 职工基本医疗保险, 390 城乡居民基本医疗保险 */
  insutypes?: string[];
  /** personal account balance (个人账户) in fen */
  acctBalanceFen?: number;
}

export interface SandboxPerson {
  key: string;
  name: string;
  idNo: string;
  wechatOpenId: string;
  alipayUserId: string;
  insurance: SandboxInsurance[];
}

const NAMED: SandboxPerson[] = [
  {
    key: 'zhang',
    name: '张建国',
    idNo: '440106196503122134',
    wechatOpenId: 'sandbox-zhang',
    alipayUserId: '2088000000000001',
    insurance: [{ regionCode: '440100', status: 'insured', psnNo: '44000000000000001001', insutypes: ['310'], acctBalanceFen: 152_000 }],
  },
  {
    key: 'wang',
    name: '王秀英',
    idNo: '440105195807213245',
    wechatOpenId: 'sandbox-wang',
    alipayUserId: '2088000000000002',
    // a retired employee insured in Guangzhou with an empty personal account
    insurance: [{ regionCode: '440100', status: 'insured', psnNo: '44000000000000001002', insutypes: ['310'], acctBalanceFen: 0 }],
  },
  {
    key: 'chen',
    name: '陈志强',
    idNo: '440104197211051065',
    wechatOpenId: 'sandbox-chen',
    alipayUserId: '2088000000000003',
    // resident insurance (居民医保) in Guangzhou, also enrolled (suspended) in Shenzhen
    insurance: [
      { regionCode: '440100', status: 'insured', psnNo: '44000000000000001003', insutypes: ['390'], acctBalanceFen: 0 },
      { regionCode: '440300', status: 'suspended', psnNo: '44030000000000001003', insutypes: ['310'] },
    ],
  },
  {
    key: 'liu',
    name: '刘婷',
    idNo: '440304198802145587',
    wechatOpenId: 'sandbox-liu',
    alipayUserId: '2088000000000004',
    insurance: [{ regionCode: '440300', status: 'insured', psnNo: '44030000000000001004', insutypes: ['310', '390'], acctBalanceFen: 86_050 }],
  },
  {
    key: 'li',
    name: '李卫东',
    idNo: '11010519491231002X',
    wechatOpenId: 'sandbox-li',
    alipayUserId: '2088000000000005',
    // insured in Beijing only: not insured in any region this hospital's HIS supports
    insurance: [{ regionCode: '110100', status: 'insured', psnNo: '11000000000000001005', insutypes: ['310'], acctBalanceFen: 30_000 }],
  },
  {
    key: 'zhao',
    name: '赵丽华',
    idNo: '440103199008074416',
    wechatOpenId: 'sandbox-zhao',
    alipayUserId: '2088000000000006',
    insurance: [{ regionCode: '440100', status: 'not_enrolled' }],
  },
  {
    key: 'huang',
    name: '黄德明',
    idNo: '440111195504303777',
    wechatOpenId: 'sandbox-huang',
    alipayUserId: '2088000000000007',
    insurance: [{ regionCode: '440100', status: 'insured', psnNo: '44000000000000001007', insutypes: ['310'], acctBalanceFen: 1_000_000 }],
  },
  {
    key: 'zhou',
    name: '周敏',
    idNo: '330106198001010128',
    wechatOpenId: 'sandbox-zhou',
    alipayUserId: '2088000000000008',
    // insured in Hangzhou, a region the HIS supports for cross-region (异地) settlement
    insurance: [{ regionCode: '330100', status: 'insured', psnNo: '33010000000000001008', insutypes: ['310'], acctBalanceFen: 45_600 }],
  },
];

/**
 * The crowd: many more insured people (employees in Guangzhou), for load and fault runs where
 * hundreds of patients pay at once. Keys crowd0001…; ID numbers synthetic with valid checks.
 */
function crowd(n: number): SandboxPerson[] {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const C = '10X98765432';
  const family = ['林', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '韩'];
  const given = ['志明', '秀兰', '建华', '丽娟', '国强', '美玲', '文杰', '淑珍', '海涛', '晓燕'];
  return Array.from({ length: n }, (_, i) => {
    const seq = String(i + 1).padStart(4, '0');
    const first17 = `440106198${String(i % 10)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    let sum = 0;
    for (let k = 0; k < 17; k++) sum += Number(first17[k]) * W[k];
    return {
      key: `crowd${seq}`,
      name: family[i % 10] + given[Math.floor(i / 10) % 10],
      idNo: first17 + C[sum % 11],
      wechatOpenId: `sandbox-crowd${seq}`,
      alipayUserId: `2088100000${String(i + 1).padStart(6, '0')}`,
      insurance: [{ regionCode: '440100', status: 'insured' as const, psnNo: `4400000000001${String(i + 1).padStart(7, '0')}`, insutypes: ['310'], acctBalanceFen: 5_000_000 }],
    };
  });
}

export const CROWD_SIZE = 400;
export const PERSONS: SandboxPerson[] = [...NAMED, ...crowd(CROWD_SIZE)];

const byKey = new Map(PERSONS.map((p) => [p.key, p]));
const byId = new Map(PERSONS.map((p) => [p.idNo, p]));
const byOpenId = new Map(PERSONS.map((p) => [p.wechatOpenId, p]));
const byAlipay = new Map(PERSONS.map((p) => [p.alipayUserId, p]));

export function personByKey(key: string): SandboxPerson | undefined {
  return byKey.get(key);
}

export function personByIdNo(idNo: string): SandboxPerson | undefined {
  return byId.get(idNo.trim().toUpperCase());
}

export function personByWechatOpenId(openId: string): SandboxPerson | undefined {
  return byOpenId.get(openId);
}

export function personByAlipayUserId(userId: string): SandboxPerson | undefined {
  return byAlipay.get(userId);
}

/** Regions the hospital's HIS supports (C7): 广州 locally, 深圳 and 杭州 through 异地 settlement. */
export const SUPPORTED_REGIONS = [
  { code: '440100', name: '广州市' },
  { code: '440300', name: '深圳市' },
  { code: '330100', name: '杭州市' },
];
