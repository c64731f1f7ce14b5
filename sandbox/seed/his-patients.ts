/**
 * The sandbox HIS's patient index and the insurance benefits (医保待遇) it reports. Every person
 * of sandbox/seed/persons.ts has visited the hospital before, so HIS already knows them by ID
 * number, outpatient number (门诊号) and visit card number (就诊卡号).
 */
import { PERSONS, type SandboxInsurance, type SandboxPerson } from './persons';

export interface SeedHisPatient {
  patientId: string;
  personKey: string;
  idNo: string;
  name: string;
  outpatientNo: string;
  cardNo: string;
}

export const HIS_PATIENTS: SeedHisPatient[] = PERSONS.map((p, i) => ({
  patientId: `P${String(100_001 + i)}`,
  personKey: p.key,
  idNo: p.idNo,
  name: p.name,
  outpatientNo: `MZ${String(20_190_001 + i)}`,
  cardNo: `8860${String(1_000_001 + i)}`,
}));

export interface SeedBenefit {
  code: string;
  name: string;
  insutype: string;
  insutypeName: string;
  description: string;
  psnType: string;
  /** fund share (per mille) of the covered amount, used for HIS's own estimate */
  fundPerMille: number;
}

const INSUTYPE_NAMES: Record<string, string> = { '310': '职工基本医疗保险', '390': '城乡居民基本医疗保险' };

/** 门诊慢特病 on file (备案) for some people */
const CHRONIC: Record<string, { disease: string; name: string }> = {
  huang: { disease: 'I10', name: '高血压' },
  wang: { disease: 'E11', name: '2型糖尿病' },
};

function age(p: SandboxPerson, now = new Date()): number {
  return now.getFullYear() - Number(p.idNo.slice(6, 10));
}

export function benefitsOf(p: SandboxPerson, ins: SandboxInsurance): SeedBenefit[] {
  const out: SeedBenefit[] = [];
  for (const insutype of ins.insutypes ?? []) {
    const insutypeName = INSUTYPE_NAMES[insutype] ?? insutype;
    if (insutype === '310') {
      const retired = age(p) >= 60;
      out.push({
        code: '310-11',
        name: '职工基本医疗保险-普通门诊统筹',
        insutype,
        insutypeName,
        description: retired
          ? '退休人员普通门诊：起付线以上甲类、乙类费用统筹基金支付75%，个人账户可支付自付部分'
          : '在职职工普通门诊：起付线以上甲类、乙类费用统筹基金支付70%，个人账户可支付自付部分',
        psnType: retired ? '1102' : '1101',
        fundPerMille: retired ? 750 : 700,
      });
      const chronic = CHRONIC[p.key];
      if (chronic) {
        out.push({
          code: `310-14-${chronic.disease}`,
          name: `门诊慢特病-${chronic.name}`,
          insutype,
          insutypeName,
          description: `已备案门诊慢特病（${chronic.name}），相关治疗费用统筹基金支付85%，不设起付线`,
          psnType: retired ? '1102' : '1101',
          fundPerMille: 850,
        });
      }
    } else if (insutype === '390') {
      out.push({
        code: '390-11',
        name: '居民医保-门诊统筹',
        insutype,
        insutypeName,
        description: '城乡居民普通门诊：甲类、乙类费用统筹基金支付50%，年度限额800元',
        psnType: '1501',
        fundPerMille: 500,
      });
    }
  }
  return out;
}
