/**
 * One truthful state of an order on every page (我的订单, the order page, the pay page): the BFF's
 * state, plus what only this device knows — the patient came back from the WeChat/Alipay sheet
 * saying "paid" and the BFF has not heard yet. Such an order is 支付确认中 everywhere and is never
 * offered for payment again (issue 12: the sheet must not open a second time).
 */
import type { OrderView } from '@mip/shared/src/contract/schemas';
import * as storage from './storage';
import { remainingLabel } from './when';

const PAYABLE = ['created', 'fee_uploaded', 'awaiting_payment'];
/** How long this device's "paid in the sheet" counts; after that the BFF's word alone decides. */
export const SHEET_PAID_WINDOW_MS = 15 * 60_000;

export const CONFIRMING_LABEL = '支付确认中';
export const CONFIRMING_NEXT = '医院正在确认这笔支付，通常几分钟内完成，请不要重复支付。确认后这里会显示结果；如果已扣款但订单没有完成，钱会自动原路退回。';

type Marks = Record<string, number>;

/** The platform's pay call said "ok" for this order (called before leaving the pay page). */
export function markPaidInSheet(orderNo: string, now = Date.now()): void {
  const marks = storage.read<Marks>('sheetPaid') ?? {};
  for (const [no, at] of Object.entries(marks)) if (now - at > SHEET_PAID_WINDOW_MS) delete marks[no];
  marks[orderNo] = now;
  storage.write('sheetPaid', marks);
}

function paidInSheet(orderNo: string, now: number): boolean {
  const at = (storage.read<Marks>('sheetPaid') ?? {})[orderNo];
  return typeof at === 'number' && now - at <= SHEET_PAID_WINDOW_MS;
}

export interface OrderStatus {
  label: string;
  /** 支付确认中: say what happens next, offer no payment */
  confirming: boolean;
  canPay: boolean;
  /** unpaid: "还剩 12 分 30 秒" before the order is released by itself */
  remaining: string;
  /** unpaid and past its deadline: being released */
  lapsed: boolean;
}

export function orderStatus(o: OrderView, now = Date.now()): OrderStatus {
  const payable = PAYABLE.includes(o.state);
  const confirming = o.state === 'awaiting_confirmation' || (payable && paidInSheet(o.orderNo, now));
  if (confirming) return { label: CONFIRMING_LABEL, confirming: true, canPay: false, remaining: '', lapsed: false };
  const remaining = payable ? remainingLabel(o.payBefore, now) : '';
  const lapsed = payable && !!o.payBefore && !remaining;
  return { label: lapsed ? '已超过支付时间，正在取消' : o.stateLabel, confirming: false, canPay: o.canPay && !lapsed, remaining, lapsed };
}
