/**
 * 自费 (self-pay): a patient who is not insured, or chooses not to use insurance, pays the whole
 * amount in WeChat/Alipay; no insurance verification or e-voucher authorization is needed. The
 * choice is remembered on this device; the BFF takes it per order (POST /api/orders payMode).
 */
import * as storage from './storage';

export type PayMode = 'insurance' | 'self';

/** the patient chose 自费 for their payments (the not-insured page's "自费看病缴费") */
export function prefersSelfPay(): boolean {
  return storage.read<boolean>('selfPay') === true;
}

export function setSelfPay(on: boolean): void {
  if (on) storage.write('selfPay', true);
  else storage.remove('selfPay');
}

/** the create-order body's pay mode: only 自费 is said, insurance is the default */
export function payModeField(mode: PayMode): { payMode?: 'self' } {
  return mode === 'self' ? { payMode: 'self' } : {};
}
