import crypto from 'node:crypto';
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import type { WechatCtx } from './context';
import { randomDigits } from './crypto';
import { underFaults } from './fault-run';
import { callbackUrlProblem, checkMedInsOrder } from './med-ins-rules';
import { fee, rfc3339, type JsapiTxn, type MedOrder } from './state';
import { fail, jsonBody } from './v3-middleware';

/** OrderEntity: the request echoed (payer left out) plus the statuses. */
export function orderEntity(o: MedOrder): Record<string, unknown> {
  const { payer: _payer, ...echo } = o.request;
  const e: Record<string, unknown> = {
    ...echo,
    mix_trade_no: o.mix_trade_no,
    mix_pay_status: o.mix_pay_status,
    self_pay_status: o.self_pay_status,
    med_ins_pay_status: o.med_ins_pay_status,
  };
  if (o.paid_time) e.paid_time = o.paid_time;
  if (o.passthrough_response_content) e.passthrough_response_content = o.passthrough_response_content;
  if (o.med_ins_fail_reason) e.med_ins_fail_reason = o.med_ins_fail_reason;
  return e;
}

export function txnView(t: JsapiTxn): Record<string, unknown> {
  return {
    appid: t.appid,
    mchid: t.mchid,
    out_trade_no: t.out_trade_no,
    transaction_id: t.transaction_id,
    trade_type: 'JSAPI',
    trade_state: t.trade_state,
    trade_state_desc: t.trade_state === 'SUCCESS' ? '支付成功' : t.trade_state === 'NOTPAY' ? '未支付' : t.trade_state,
    success_time: t.success_time,
    payer: { openid: t.openid },
    amount: { total: t.total, payer_total: t.trade_state === 'NOTPAY' ? undefined : t.total, currency: 'CNY', payer_currency: 'CNY' },
  };
}

const systemError = (ctx: RouterContext) => (r: { status?: number; code?: string; message?: string }) =>
  fail(ctx, r.status ?? 500, r.code ?? 'SYSTEM_ERROR', r.message ?? '系统错误');

/** JSAPI self-pay orders and the med-ins mixed orders. */
export function mountPay(router: Router, w: WechatCtx): void {
  const { cfg, state, faults } = w;

  router.post('/v3/pay/transactions/jsapi', async (ctx) => {
    const b = jsonBody(ctx);
    await underFaults(ctx, faults, 'jsapi', String(b?.out_trade_no ?? ''), () => {
      const amount = (b?.amount ?? {}) as { total?: unknown; currency?: string };
      const openid = ((b?.payer ?? {}) as { openid?: string }).openid;
      if (!b) return fail(ctx, 400, 'PARAM_ERROR', '请求体不是合法的 JSON');
      if (b.appid !== cfg.appId || b.mchid !== cfg.mchId) return fail(ctx, 400, 'PARAM_ERROR', 'appid 和 mch_id 不匹配');
      if (typeof b.out_trade_no !== 'string' || !/^[A-Za-z0-9_\-|*]{6,32}$/.test(b.out_trade_no)) return fail(ctx, 400, 'PARAM_ERROR', 'out_trade_no 格式错误');
      if (typeof b.description !== 'string' || !b.description) return fail(ctx, 400, 'PARAM_ERROR', 'description 不能为空');
      const badUrl = typeof b.notify_url === 'string' ? callbackUrlProblem(b.notify_url) : '不能为空';
      if (badUrl) return fail(ctx, 400, 'PARAM_ERROR', `notify_url ${badUrl}`);
      if (!Number.isSafeInteger(amount.total) || (amount.total as number) <= 0) return fail(ctx, 400, 'PARAM_ERROR', 'amount.total 必须为正整数（分）');
      if (!openid) return fail(ctx, 400, 'PARAM_ERROR', 'payer.openid 不能为空');
      const existing = state.txns.get(b.out_trade_no);
      if (existing) {
        if (existing.trade_state === 'SUCCESS') return fail(ctx, 400, 'ORDERPAID', '该订单已支付');
        if (existing.total !== amount.total || existing.openid !== openid) return fail(ctx, 400, 'INVALID_REQUEST', '201 商户订单号重复');
        return void (ctx.body = { prepay_id: existing.prepay_id });
      }
      const txn: JsapiTxn = {
        appid: cfg.appId,
        mchid: cfg.mchId,
        out_trade_no: b.out_trade_no,
        description: b.description,
        notify_url: String(b.notify_url),
        openid,
        total: amount.total as number,
        prepay_id: `wx${Date.now().toString(36)}${crypto.randomBytes(10).toString('hex')}`,
        time_expire: typeof b.time_expire === 'string' ? b.time_expire : undefined,
        trade_state: 'NOTPAY',
        created_at: rfc3339(),
      };
      state.txns.set(txn.out_trade_no, txn);
      ctx.body = { prepay_id: txn.prepay_id };
    }, systemError(ctx));
  });

  // WeChat Pay APIv3 JSAPI 关闭订单: 204; a paid order answers ORDERPAID
  router.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', async (ctx) => {
    await underFaults(ctx, faults, 'jsapi-close', ctx.params.outTradeNo, () => {
      const t = state.txns.get(ctx.params.outTradeNo);
      if (!t) return fail(ctx, 404, 'ORDER_NOT_EXIST', '订单不存在');
      if (t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND') return fail(ctx, 400, 'ORDERPAID', '订单已支付');
      t.trade_state = 'CLOSED';
      ctx.status = 204;
    }, systemError(ctx));
  });

  router.get('/v3/pay/transactions/out-trade-no/:outTradeNo', async (ctx) => {
    await underFaults(ctx, faults, 'jsapi-query', ctx.params.outTradeNo, () => {
      const t = state.txns.get(ctx.params.outTradeNo);
      if (!t || ctx.query.mchid !== cfg.mchId) return fail(ctx, 404, 'ORDER_NOT_EXIST', '订单不存在');
      ctx.body = txnView(t);
    }, systemError(ctx));
  });

  router.post('/v3/med-ins/orders', async (ctx) => {
    const b = jsonBody(ctx);
    await underFaults(ctx, faults, 'med-ins-create', String(b?.out_trade_no ?? ''), () => {
      if (!b) return fail(ctx, 400, 'PARAM_ERROR', '请求体不是合法的 JSON');
      const problem = checkMedInsOrder(w, b, ctx.get('wechatpay-serial') || undefined);
      if (problem) return fail(ctx, problem.status, problem.code, problem.message);
      if (state.orderByOut(String(b.out_trade_no))) {
        // 排障手册 §2.6 Q5 "触发 400 ALREADY_EXISTS", §1.1 268512536 订单已存在 (the Request-ID suffix)
        ctx.state.errNo = '268512536';
        return fail(ctx, 400, 'ALREADY_EXISTS', '订单已存在');
      }
      const cash = fee(b, 'wechat_pay_cash_fee');
      const insurance = fee(b, 'med_ins_gov_fee') + fee(b, 'med_ins_self_fee') + fee(b, 'med_ins_other_fee');
      const o: MedOrder = {
        mix_trade_no: `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}${randomDigits(18)}`,
        out_trade_no: String(b.out_trade_no),
        openid: String(b.openid),
        request: b,
        mix_pay_status: 'MIX_PAY_CREATED',
        self_pay_status: cash > 0 ? 'SELF_PAY_CREATED' : 'NO_SELF_PAY',
        med_ins_pay_status: insurance > 0 ? 'MED_INS_PAY_CREATED' : 'NO_MED_INS_PAY',
        created_at: rfc3339(),
      };
      state.orders.set(o.mix_trade_no, o);
      state.ordersByOut.set(o.out_trade_no, o.mix_trade_no);
      ctx.body = orderEntity(o);
    }, systemError(ctx));
  });

  const query = (find: (id: string) => MedOrder | undefined) => async (ctx: RouterContext) => {
    const id = String(ctx.params.id);
    const o = find(id);
    await underFaults(ctx, faults, 'med-ins-query', o?.out_trade_no ?? id, () => {
      if (!o) return fail(ctx, 404, 'ORDER_NOT_EXIST', '订单不存在');
      ctx.body = orderEntity(o);
    }, systemError(ctx));
  };
  router.get('/v3/med-ins/orders/mix-trade-no/:id', query((id) => state.orders.get(id)));
  router.get('/v3/med-ins/orders/out-trade-no/:id', query((id) => state.orderByOut(id)));
}
