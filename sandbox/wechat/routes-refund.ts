import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import type { WechatCtx } from './context';
import { randomDigits } from './crypto';
import { notifyRefund } from './events';
import { underFaults } from './fault-run';
import { fee, rfc3339, type MedOrder, type RefundRec } from './state';
import { fail, jsonBody } from './v3-middleware';
import { callbackUrlProblem } from './med-ins-rules';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

function refundView(r: RefundRec): Record<string, unknown> {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    success_time: r.success_time,
    create_time: r.create_time,
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: { total: r.amount.total, refund: r.amount.refund, payer_total: r.amount.total, payer_refund: r.amount.refund, settlement_refund: r.amount.refund, currency: 'CNY' },
  };
}

/**
 * Switch `refund-notice` (fault op, key out_trade_no; `ms`, default an hour): from the first notice it
 * catches, WeChat refuses that order's 医保退款通知 for `ms` on the sandbox clock (500 SYSTEM_ERROR, to be
 * sent again: wechatpay-skills 开发参数与业务规则 §七 — the notice is the merchant's to repeat until accepted).
 */
function refundNoticeRefused(w: WechatCtx, key: string): boolean {
  const { state, faults } = w;
  const until = state.refundNoticeRefusedUntil.get(key);
  if (until !== undefined) return state.now() < until;
  const rule = faults.take('refund-notice', key);
  if (!rule) return false;
  state.refundNoticeRefusedUntil.set(key, state.now() + (rule.ms ?? 3_600_000));
  return true;
}

/** After both legs went back (or the only leg did), the mixed order reads MIX_PAY_REFUND. */
export function settleRefundState(w: WechatCtx, o: MedOrder): void {
  const cash = fee(o.request, 'wechat_pay_cash_fee');
  const insurance = fee(o.request, 'med_ins_gov_fee') + fee(o.request, 'med_ins_self_fee') + fee(o.request, 'med_ins_other_fee');
  const cashBack = [...w.state.refunds.values()].filter((r) => r.out_trade_no === o.out_trade_no && r.status === 'SUCCESS').reduce((s, r) => s + r.amount.refund, 0);
  const insBack = [...w.state.medRefunds.values()].filter((n) => n.mix_trade_no === o.mix_trade_no).reduce((s, n) => s + n.med_refund_total_fee, 0);
  if (cash > 0 && cashBack >= cash) o.self_pay_status = 'SELF_PAY_REFUND';
  if (insurance > 0 && insBack >= insurance) o.med_ins_pay_status = 'MED_INS_PAY_REFUND';
  if ((cash === 0 || cashBack >= cash) && (insurance === 0 || insBack >= insurance)) o.mix_pay_status = 'MIX_PAY_REFUND';
}

/** PROCESSING refunds whose time came (sandbox clock) succeed, and their callbacks go out. */
export function settleDueRefunds(w: WechatCtx): void {
  for (const r of w.state.refunds.values()) {
    if (r.status !== 'PROCESSING' || r.settleAt === undefined || r.settleAt > w.state.now()) continue;
    r.status = 'SUCCESS';
    r.success_time = rfc3339(new Date(w.state.now()));
    const txn = w.state.txns.get(r.out_trade_no);
    const back = [...w.state.refunds.values()].filter((x) => x.out_trade_no === r.out_trade_no && x.status === 'SUCCESS').reduce((n, x) => n + x.amount.refund, 0);
    if (txn && back >= txn.total) txn.trade_state = 'REFUND';
    const o = w.state.orderByOut(r.out_trade_no);
    if (o) settleRefundState(w, o);
    notifyRefund(w, r);
  }
}

export function mountRefunds(router: Router, w: WechatCtx, later: (fn: () => void, ms: number) => void): void {
  const { cfg, state, faults } = w;
  const sysErr = (ctx: RouterContext) => (r: { status?: number; code?: string; message?: string }) =>
    fail(ctx, r.status ?? 500, r.code ?? 'SYSTEM_ERROR', r.message ?? '系统错误');

  router.post('/v3/refund/domestic/refunds', async (ctx) => {
    const b = jsonBody(ctx);
    await underFaults(ctx, faults, 'refund', String(b?.out_trade_no ?? ''), () => {
      if (!b) return fail(ctx, 400, 'PARAM_ERROR', '请求体不是合法的 JSON');
      const amount = (b.amount ?? {}) as { refund?: unknown; total?: unknown; currency?: unknown };
      const outRefundNo = b.out_refund_no;
      if (typeof outRefundNo !== 'string' || !/^[A-Za-z0-9_\-|*@]{1,64}$/.test(outRefundNo)) return fail(ctx, 400, 'PARAM_ERROR', 'out_refund_no 格式错误');
      if (!Number.isSafeInteger(amount.refund) || (amount.refund as number) <= 0 || !Number.isSafeInteger(amount.total) || amount.currency !== 'CNY') {
        return fail(ctx, 400, 'PARAM_ERROR', 'amount.refund / amount.total / amount.currency 有误');
      }
      const txn = state.txns.get(String(b.out_trade_no ?? ''));
      if (!txn) return fail(ctx, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
      if (txn.trade_state === 'NOTPAY' || !txn.transaction_id) return fail(ctx, 400, 'INVALID_REQUEST', '订单未支付，不能退款');
      if (txn.total !== amount.total) return fail(ctx, 400, 'PARAM_ERROR', '订单金额 total 与原订单不一致');
      const badUrl = typeof b.notify_url === 'string' ? callbackUrlProblem(b.notify_url) : undefined;
      if (badUrl) return fail(ctx, 400, 'PARAM_ERROR', `notify_url ${badUrl}`);
      const existing = state.refunds.get(outRefundNo);
      if (existing) {
        if (existing.out_trade_no !== txn.out_trade_no || existing.amount.refund !== amount.refund) return fail(ctx, 400, 'INVALID_REQUEST', '退款单号已存在且请求参数不一致');
        settleDueRefunds(w); // a repeated request is answered with the refund as it stands now, as a query is
        return void (ctx.body = refundView(existing));
      }
      const already = [...state.refunds.values()].filter((r) => r.out_trade_no === txn.out_trade_no && r.status !== 'CLOSED').reduce((s, r) => s + r.amount.refund, 0);
      if (already + (amount.refund as number) > txn.total) return fail(ctx, 400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
      const r: RefundRec = {
        refund_id: `50300${randomDigits(24)}`,
        out_refund_no: outRefundNo,
        out_trade_no: txn.out_trade_no,
        transaction_id: txn.transaction_id,
        reason: typeof b.reason === 'string' ? b.reason : undefined,
        notify_url: typeof b.notify_url === 'string' ? b.notify_url : undefined,
        status: 'PROCESSING',
        create_time: rfc3339(),
        amount: { refund: amount.refund as number, total: txn.total },
      };
      state.refunds.set(r.out_refund_no, r);
      // PROCESSING until the sandbox clock reaches settleAt (refundSettleMs; minutes in real life)
      r.settleAt = state.now() + cfg.refundSettleMs;
      // A timer runs on the monotonic clock and may fire a millisecond before the sandbox clock
      // (Date.now) reaches settleAt: then it looks again, instead of leaving the refund PROCESSING for good.
      const settleWhenDue = () => {
        settleDueRefunds(w);
        if (r.status === 'PROCESSING' && r.settleAt !== undefined) later(settleWhenDue, Math.max(1, r.settleAt - state.now()));
      };
      if (cfg.refundSettleMs === 0) settleDueRefunds(w);
      else later(settleWhenDue, cfg.refundSettleMs);
      ctx.body = refundView(r);
    }, sysErr(ctx));
  });

  router.get('/v3/refund/domestic/refunds/:outRefundNo', async (ctx) => {
    settleDueRefunds(w);
    const r = state.refunds.get(ctx.params.outRefundNo);
    if (!r) return fail(ctx, 404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    ctx.body = refundView(r);
  });

  router.post('/v3/med-ins/refunds/notify', async (ctx) => {
    const b = jsonBody(ctx);
    const mix = String(ctx.query.mix_trade_no ?? '');
    const o = state.orders.get(mix);
    if (refundNoticeRefused(w, o?.out_trade_no ?? mix)) return fail(ctx, 500, 'SYSTEM_ERROR', '系统繁忙，请稍后重试');
    await underFaults(ctx, faults, 'med-ins-refund-notify', o?.out_trade_no ?? mix, () => {
      if (!b) return fail(ctx, 400, 'PARAM_ERROR', '请求体不是合法的 JSON');
      if (!o) return fail(ctx, 404, 'ORDER_NOT_EXIST', '订单不存在');
      // the platform refusing the notice for a while (a dev switch; 开发参数 §七: the merchant must notify, so it retries)
      if (state.now() < state.allRefundNoticesRefusedUntil) return fail(ctx, 500, 'SYSTEM_ERROR', '系统繁忙，请稍后重试');
      if (o.mix_pay_status !== 'MIX_PAY_SUCCESS' && o.mix_pay_status !== 'MIX_PAY_REFUND') return fail(ctx, 400, 'INVALID_REQUEST', '订单未支付成功，不能通知医保退款');
      const f = ['med_refund_total_fee', 'med_refund_gov_fee', 'med_refund_self_fee', 'med_refund_other_fee'].map((k) => b[k]);
      if (!f.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) return fail(ctx, 400, 'PARAM_ERROR', '医保退款金额必须为非负整数（分）');
      const [total, gov, self, other] = f as number[];
      if (total !== gov + self + other) return fail(ctx, 400, 'PARAM_ERROR', 'med_refund_total_fee 应等于 统筹+个账+其他');
      if (gov > fee(o.request, 'med_ins_gov_fee') || self > fee(o.request, 'med_ins_self_fee') || other > fee(o.request, 'med_ins_other_fee')) {
        return fail(ctx, 400, 'PARAM_ERROR', '医保退款金额超过订单医保金额');
      }
      if (typeof b.refund_time !== 'string' || !RFC3339.test(b.refund_time)) return fail(ctx, 400, 'PARAM_ERROR', 'refund_time 须为带时区的 RFC3339 时间');
      if (typeof b.out_refund_no !== 'string' || !b.out_refund_no) return fail(ctx, 400, 'PARAM_ERROR', 'out_refund_no 不能为空');
      const seen = state.medRefunds.get(b.out_refund_no);
      if (seen && (seen.mix_trade_no !== mix || seen.med_refund_total_fee !== total)) return fail(ctx, 400, 'INVALID_REQUEST', '退款单号已存在且请求参数不一致');
      if (!seen) {
        state.medRefunds.set(b.out_refund_no, {
          mix_trade_no: mix, out_refund_no: b.out_refund_no, med_refund_total_fee: total, med_refund_gov_fee: gov,
          med_refund_self_fee: self, med_refund_other_fee: other, refund_time: b.refund_time, received_at: rfc3339(),
        });
        settleRefundState(w, o);
      }
      ctx.status = 204;
    }, sysErr(ctx));
  });
}
