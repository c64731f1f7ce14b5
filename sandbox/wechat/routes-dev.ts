import crypto from 'node:crypto';
import type Koa from 'koa';
import type Router from '@koa/router';
import { billMutationRoutes } from '../common/bill-mutations';
import { readJson } from '../common/server';
import { personByKey, personByWechatOpenId } from '../seed/persons';
import { settleDueRefunds } from './routes-refund';
import type { WechatCtx } from './context';
import { underFaults } from './fault-run';
import { payOrder } from './pay-action';
import { orderEntity, txnView } from './routes-pay';

const CODE_TTL_MS = 5 * 60_000;

/** CORS for the H5 preview, which calls the dev endpoints straight from the browser. */
export function cors(): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/sandbox/')) return next();
    ctx.set('Access-Control-Allow-Origin', ctx.get('origin') || '*');
    ctx.set('Vary', 'Origin');
    ctx.set('Access-Control-Allow-Methods', 'GET,POST,DELETE,OPTIONS');
    ctx.set('Access-Control-Allow-Headers', 'content-type');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    await next();
  };
}

type Body = Record<string, unknown>;

/** What the WeChat client would do (wx.login, the e-voucher mini-program, requestMedicalInsurancePay, requestSubscribeMessage) + inspection. */
export function mountDev(router: Router, w: WechatCtx): void {
  const { cfg, state, faults, side } = w;
  const PAY_FAIL = 'requestMedicalInsurancePay:fail';

  router.post('/sandbox/dev/login-code', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const openid = typeof b.openid === 'string' && b.openid ? b.openid : `sandbox-anon-${crypto.randomBytes(6).toString('hex')}`;
    const code = crypto.randomBytes(16).toString('hex');
    state.loginCodes.set(code, { openid, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    ctx.body = { code, openid };
  });

  router.post('/sandbox/dev/insurance-auth', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const person = personByWechatOpenId(String(b.openid ?? ''));
    if (!person) {
      ctx.status = 404;
      ctx.body = { error: 'no sandbox person has this openid (use sandbox-<key>)' };
      return;
    }
    if (b.outcome === 'cancel') return void (ctx.body = { cancelled: true });
    // 亲情付: {forPerson: key} — the openid's person (voucher holder) authorizes paying for that relative
    const relative = typeof b.forPerson === 'string' ? personByKey(b.forPerson) : undefined;
    if (b.forPerson !== undefined && !relative) {
      ctx.status = 404;
      ctx.body = { error: 'forPerson is not a sandbox person key' };
      return;
    }
    const authCode = `${crypto.randomBytes(16).toString('hex')}`;
    state.authCodes.set(authCode, relative
      ? { openid: person.wechatOpenId, person: relative, holder: person, expiresAt: Date.now() + CODE_TTL_MS, used: false }
      : { openid: person.wechatOpenId, person, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    ctx.body = { authCode };
  });

  router.post('/sandbox/dev/pay', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const o = state.orders.get(String(b.mixTradeNo ?? ''));
    await underFaults(ctx, faults, 'pay', o?.out_trade_no, async () => {
      const failWith = (why: string) => void (ctx.body = { errMsg: `${PAY_FAIL} ${why}` });
      if (!o) return failWith('ORDER_NOT_EXIST');
      if (o.openid !== b.openid) return failWith('the order belongs to another user');
      const signing = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'].filter((k) => b[k] !== undefined && b[k] !== '');
      const txn = state.txns.get(o.out_trade_no);
      if (o.request.mix_pay_type === 'INSURANCE_ONLY') {
        if (signing.length) return failWith('PARAM_ERROR: INSURANCE_ONLY takes no payment signature fields');
      } else {
        if (signing.length !== 5 || b.signType !== 'RSA') return failWith('PARAM_ERROR: timeStamp, nonceStr, package, signType=RSA and paySign are required');
        if (b.package !== `prepay_id=${txn?.prepay_id}`) return failWith('package does not match the order');
        if (!side.checkPaySign(cfg.appId, String(b.timeStamp), String(b.nonceStr), String(b.package), String(b.paySign))) return failWith('paySign verification failed');
      }
      if (b.outcome === 'fail') return failWith('user cancelled or payment failed');
      const r = await payOrder(w, o);
      ctx.body = r.ok ? { errMsg: 'requestMedicalInsurancePay:ok' } : { errMsg: `${PAY_FAIL} ${r.reason}` };
    }, (r) => void (ctx.body = { errMsg: `${PAY_FAIL} ${r.message ?? 'system error'}` }));
  });

  router.post('/sandbox/dev/subscribe', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const ids = Array.isArray(b.templateIds) ? b.templateIds.map(String) : [];
    const openid = String(b.openid ?? '');
    if (!openid || !ids.length) {
      ctx.status = 400;
      ctx.body = { errMsg: 'requestSubscribeMessage:fail openid and templateIds are required' };
      return;
    }
    const result: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
    for (const id of ids) {
      if (b.decision === 'accept') state.subscriptions.accept(openid, id);
      result[id] = b.decision === 'accept' ? 'accept' : 'reject';
    }
    ctx.body = result;
  });

  // the sandbox clock (refunds PROCESSING for refundSettleMs, rate windows): tests advance it, never sleep
  router.post('/sandbox/clock', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const ms = Number(b.advanceMs ?? 0);
    if (!Number.isSafeInteger(ms) || ms < 0) {
      ctx.status = 400;
      ctx.body = { error: 'advanceMs must be a non-negative integer' };
      return;
    }
    state.clockOffsetMs += ms;
    settleDueRefunds(w);
    ctx.body = { now: new Date(state.now()).toISOString() };
  });

  // 医保退款通知 refused for forMs on the sandbox clock (开发参数与业务规则 §七): the hospital must deliver it later
  router.post('/sandbox/refund-notice/refuse', async (ctx) => {
    const ms = Number(((await readJson(ctx.req)) as Body).forMs ?? 0);
    if (!Number.isSafeInteger(ms) || ms < 0) {
      ctx.status = 400;
      ctx.body = { error: 'forMs must be a non-negative integer' };
      return;
    }
    state.allRefundNoticesRefusedUntil = state.now() + ms;
    ctx.body = { until: new Date(state.allRefundNoticesRefusedUntil).toISOString() };
  });

  router.post('/sandbox/tokens/expire', (ctx) => {
    if (state.token) state.token.expiresAt = 0;
    ctx.body = { ok: true };
  });

  const view = (o: NonNullable<ReturnType<typeof state.orderByOut>>) => {
    const txn = state.txns.get(o.out_trade_no);
    return { ...orderEntity(o), openid: o.openid, transaction: txn ? txnView(txn) : undefined };
  };
  router.get('/sandbox/orders', (ctx) => {
    ctx.body = { orders: [...state.orders.values()].map(view) };
  });
  router.get('/sandbox/orders/:outTradeNo', (ctx) => {
    const o = state.orderByOut(ctx.params.outTradeNo) ?? state.orders.get(ctx.params.outTradeNo);
    if (!o) return void ((ctx.status = 404), (ctx.body = { error: 'ORDER_NOT_EXIST' }));
    ctx.body = view(o);
  });
  // the patient is entering the password in WeChat: MIX_PAY_USER_PAYING (排障手册 268560650 §), not yet paid
  router.post('/sandbox/orders/:outTradeNo/user-paying', (ctx) => {
    const o = state.orderByOut(ctx.params.outTradeNo);
    if (!o || o.mix_pay_status !== 'MIX_PAY_CREATED') {
      ctx.status = 409;
      ctx.body = { error: 'only an existing MIX_PAY_CREATED order can start paying' };
      return;
    }
    o.mix_pay_status = 'MIX_PAY_USER_PAYING';
    ctx.body = view(o);
  });

  router.get('/sandbox/messages', (ctx) => {
    ctx.body = { messages: state.messages };
  });
  router.get('/sandbox/refunds', (ctx) => {
    ctx.body = { refunds: [...state.refunds.values()], insuranceRefundNotices: [...state.medRefunds.values()] };
  });
  router.get('/sandbox/notifications', (ctx) => {
    ctx.body = { deliveries: state.deliveries };
  });
  billMutationRoutes(router, state.mutations);
}
