import type { CashRefundInput, CashRefundResult } from '../port';

export interface RefundEntity {
  refund_id?: string;
  out_refund_no: string;
  out_trade_no?: string;
  transaction_id?: string;
  status: string;
  success_time?: string;
  create_time?: string;
  amount?: { refund?: number; total?: number };
}

/** POST /v3/refund/domestic/refunds: out_refund_no is our refund number, so a retry refunds once. */
export function refundBody(q: CashRefundInput, notifyUrl: string | undefined): Record<string, unknown> {
  if (!Number.isSafeInteger(q.refundFen) || q.refundFen <= 0 || q.refundFen > q.paidCashFen) {
    throw new Error(`refund of ${q.refundFen} fen does not fit a cash payment of ${q.paidCashFen} fen`);
  }
  const body: Record<string, unknown> = {
    out_trade_no: q.outTradeNo,
    out_refund_no: q.refundNo,
    reason: q.reason.slice(0, 80),
    amount: { refund: q.refundFen, total: q.paidCashFen, currency: 'CNY' },
  };
  if (notifyUrl) body.notify_url = notifyUrl;
  return body;
}

export function toRefundResult(r: RefundEntity): CashRefundResult {
  switch (r.status) {
    case 'SUCCESS':
      return { status: 'succeeded', channelRefundId: r.refund_id, refundedAt: r.success_time };
    case 'PROCESSING':
      return { status: 'processing', channelRefundId: r.refund_id };
    case 'CLOSED':
    case 'ABNORMAL':
      return { status: 'failed', code: r.status, message: r.status === 'ABNORMAL' ? '退款异常（用户卡已销户等），需线下处理' : '退款已关闭' };
    default:
      return { status: 'processing', channelRefundId: r.refund_id };
  }
}
