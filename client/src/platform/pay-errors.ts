import type { PayOutcome } from './index';

/** The errMsg of a failed requestMedicalInsurancePay, in words for the patient. */
export function mapPayFail(errMsg: string | undefined): PayOutcome {
  const m = String(errMsg ?? '');
  if (/cancel/i.test(m)) return { outcome: 'cancel' };
  if (/access denied|permission|102/i.test(m)) return { outcome: 'fail', message: '医院的医保支付暂未开通，请到医院窗口缴费' };
  return { outcome: 'fail', message: '支付没有完成' };
}
