import type { OrderView } from '@mip/shared/src/contract/schemas';
import type { ResponseFor } from '../src/lib/api';

export const config: ResponseFor<'clientConfig'> = {
  hospitalName: '广州市第一人民医院',
  subscribeTemplateIds: { wechat: ['TPL-REG', 'TPL-PAY'], alipay: ['ENT-REG'] },
  insuranceAuth: { wechat: { appId: 'wxe183cd55df4b4369', path: 'auth/pages/bindcard/auth/index?openType=getAuthCode&bizType=04107', envVersion: 'trial' } },
  sandbox: { wechatUrl: 'http://127.0.0.1:7101', alipayUrl: 'http://127.0.0.1:7102' },
};

export const regions = { regions: [{ code: '440100', name: '广州市' }, { code: '440300', name: '深圳市' }] };

export const benefits = [
  { code: 'B310', name: '职工基本医疗保险 普通门诊', insutype: '310', insutypeName: '职工基本医疗保险', description: '普通门诊统筹' },
  { code: 'B390', name: '城乡居民医保 门诊', insutype: '390', insutypeName: '城乡居民基本医疗保险', description: '' },
];

export const statusInsured: ResponseFor<'insuranceStatus'> = {
  insured: true,
  region: { code: '440100', name: '广州市' },
  patient: { nameMasked: '张**', idNoMasked: '440106********2134' },
  benefits,
};

export const departments = { departments: [{ code: 'NEIKE', name: '内科', location: '门诊楼2楼' }, { code: 'WAIKE', name: '外科' }] };
export const doctors = {
  doctors: [
    { code: 'D001', name: '李医生', title: '主任医师', specialty: '高血压', available: true },
    { code: 'D002', name: '王医生', title: '主治医师', available: false },
  ],
};
export const slots = {
  slots: [
    { slotId: 'S1', date: '2099-03-02', period: 'morning' as const, startTime: '08:00', endTime: '08:30', feeFen: 2500, remaining: 3 },
    { slotId: 'S2', date: '2099-03-02', period: 'afternoon' as const, startTime: '14:00', endTime: '14:30', feeFen: 2500, remaining: 0 },
    // a session already over: shown as past, not as 已约满
    { slotId: 'S3', date: '2020-01-06', period: 'morning' as const, startTime: '08:00', endTime: '12:00', feeFen: 2500, remaining: 5 },
  ],
};

export const bills = {
  bills: [{ billNo: 'B20250301001', title: '门诊处方', deptName: '内科', doctorName: '李医生', createdAt: '2025-03-01T09:10:00+08:00', totalFen: 12345, itemCount: 2 }],
};
export const bill = {
  bill: {
    ...bills.bills[0],
    items: [
      { code: 'X1', name: '阿莫西林胶囊', spec: '0.25g*24粒', unit: '盒', quantity: '1', unitPriceFen: 2345, amountFen: 2345, category: '甲类' },
      { code: 'X2', name: '血常规', quantity: '1', unitPriceFen: 10000, amountFen: 10000, category: '乙类' },
    ],
  },
};

export function order(over: Partial<OrderView> = {}): OrderView {
  return {
    orderNo: 'MIP20250301000001',
    kind: 'registration',
    channel: 'wechat',
    title: '挂号：内科 李医生',
    state: 'awaiting_payment',
    stateLabel: '待支付',
    amounts: { totalFen: 2500, fundFen: 1500, acctFen: 500, cashFen: 500 },
    amountsFinal: false,
    createdAt: '2025-03-01T08:00:00+08:00',
    patient: { nameMasked: '张**', idNoMasked: '440106********2134' },
    detail: { department: '内科', doctor: '李医生', visitTime: '2099-03-02 08:00:00' },
    payments: [],
    refunds: [],
    canPay: true,
    canCancel: true,
    ...over,
  };
}

export const wechatPayment = {
  channel: 'wechat' as const,
  mixTradeNo: 'MIX123',
  timeStamp: '1700000000',
  nonceStr: 'n',
  package: 'prepay_id=wx1',
  signType: 'RSA' as const,
  paySign: 'sig',
};
