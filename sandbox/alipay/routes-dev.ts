import crypto from 'node:crypto';
import type Router from '@koa/router';
import { billMutationRoutes } from '../common/bill-mutations';
import { readJson } from '../common/server';
import { underFaults } from '../wechat/fault-run';
import type { AlipayCtx } from './context';
import { tradeView } from './methods-trade';
import { failInsuranceAfterCash, payTrade } from './pay-action';
import { appUserId } from './users';

const CODE_TTL_MS = 5 * 60_000;
type Body = Record<string, unknown>;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the Alipay client would do (my.getAuthCode, the voucher page, the pay page, my.requestSubscribeMessage) + inspection. */
export function mountDev(router: Router, w: AlipayCtx): void {
  const { state, faults } = w;

  router.post('/sandbox/dev/auth-code', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const userId = typeof b.userId === 'string' && b.userId ? b.userId : `2088${crypto.randomInt(100_000_000, 999_999_999)}999`;
    const scopes = Array.isArray(b.scopes) ? b.scopes.map(String) : String(b.scopes ?? 'auth_base').split(',').map((s) => s.trim()).filter(Boolean);
    const authCode = `sbx${crypto.randomBytes(16).toString('hex')}`;
    state.authCodes.set(authCode, { userId, scopes, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    // appUserId: what the app will know the user by (user_id or open_id, by mode)
    ctx.body = { authCode, userId, appUserId: appUserId(w, userId) };
  });

  router.post('/sandbox/dev/authorize-voucher', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    if (typeof b.userId !== 'string' || !b.userId) {
      ctx.status = 400;
      ctx.body = { error: 'userId is required' };
      return;
    }
    state.voucherAuthorized.add(b.userId);
    ctx.body = { ok: true };
  });

  router.post('/sandbox/dev/pay', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const t = state.trade(undefined, String(b.tradeNo ?? ''));
    await underFaults(ctx, faults, 'pay', t?.out_trade_no, async () => {
      if (!t) return void (ctx.body = { ok: false, resultCode: '4000', memo: 'TRADE_NOT_EXIST' });
      if (b.outcome === 'cancel') return void (ctx.body = { ok: false, resultCode: '6001', memo: '用户中途取消' });
      if (b.outcome === 'fail') return void (ctx.body = { ok: false, resultCode: '4000', memo: '支付失败' });
      if (b.outcome === 'medical_fail_cash_taken') return void (ctx.body = { ok: false, resultCode: '4000', memo: failInsuranceAfterCash(w, t).reason });
      const r = await payTrade(w, t);
      ctx.body = r.ok ? { ok: true, resultCode: '9000', memo: '支付成功' } : { ok: false, resultCode: '4000', memo: r.reason };
    }, (rule) => void (ctx.body = { ok: false, resultCode: '4000', memo: rule.message ?? '系统繁忙' }));
  });

  router.post('/sandbox/dev/subscribe', async (ctx) => {
    const b = (await readJson(ctx.req)) as Body;
    const ids = Array.isArray(b.templateIds) ? b.templateIds.map(String) : [];
    // userId: the 2088… id; an open_id of this app is taken too
    const userId = w.users.userOfOpenId(String(b.userId ?? '')) ?? String(b.userId ?? '');
    if (!userId || !ids.length) {
      ctx.status = 400;
      ctx.body = { error: 'userId and templateIds are required' };
      return;
    }
    for (const id of ids) if (b.decision === 'accept') state.subscriptions.accept(userId, id);
    ctx.body = { success: true, result: { subscribeEntityIds: b.decision === 'accept' ? ids : [], unsubscribedEntityIds: b.decision === 'accept' ? [] : ids } };
  });

  /** auth_url: the voucher activation/authorization page (a stand-in for Alipay's). */
  router.get('/sandbox/voucher', (ctx) => {
    const userId = esc(String(ctx.query.user_id ?? ''));
    const back = esc(String(ctx.query.call_url ?? ''));
    ctx.type = 'text/html';
    ctx.body = `<!doctype html><meta charset="utf-8"><title>医保电子凭证授权</title><p>医保电子凭证授权（沙箱）</p>
<button id="ok">激活并授权</button><script>document.getElementById('ok').onclick=async()=>{await fetch('/sandbox/dev/authorize-voucher',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({userId:'${userId}'})});document.body.append('已授权，返回 ${back}');};</script>`;
  });

  /** pay_url: the medical pay page (a stand-in for Alipay's). */
  router.get('/sandbox/cashier', (ctx) => {
    const tradeNo = esc(String(ctx.query.trade_no ?? ''));
    ctx.type = 'text/html';
    ctx.body = `<!doctype html><meta charset="utf-8"><title>医保支付</title><p>医保+自费支付（沙箱）${tradeNo}</p>
<button id="pay">确认支付</button><script>document.getElementById('pay').onclick=async()=>{const r=await fetch('/sandbox/dev/pay',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({tradeNo:'${tradeNo}',outcome:'ok'})});document.body.append(JSON.stringify(await r.json()));};</script>`;
  });

  router.get('/sandbox/bill-files/:token', async (ctx) => {
    await underFaults(ctx, faults, 'bill-download', ctx.params.token, () => {
      const f = state.billFiles.get(ctx.params.token);
      if (!f || f.expiresAt < Date.now()) {
        ctx.status = 404;
        ctx.body = 'expired';
        return;
      }
      ctx.type = 'application/zip';
      ctx.body = f.data;
    }, () => void (ctx.status = 500));
  });

  const view = (t: NonNullable<ReturnType<typeof state.trade>>) => ({ ...tradeView(t), user_id: t.user_id, refunds: t.refunds, result_notify_url: t.result_notify_url });
  router.get('/sandbox/orders', (ctx) => {
    ctx.body = { orders: [...state.trades.values()].map(view) };
  });
  router.get('/sandbox/orders/:outTradeNo', (ctx) => {
    const t = state.trade(ctx.params.outTradeNo) ?? state.trade(undefined, ctx.params.outTradeNo);
    if (!t) {
      ctx.status = 404;
      ctx.body = { error: 'TRADE_NOT_EXIST' };
      return;
    }
    ctx.body = view(t);
  });
  router.get('/sandbox/messages', (ctx) => {
    ctx.body = { messages: state.messages };
  });
  router.get('/sandbox/refunds', (ctx) => {
    ctx.body = { refunds: [...state.trades.values()].flatMap((t) => t.refunds.map((r) => ({ ...r, out_trade_no: t.out_trade_no, trade_no: t.trade_no }))) };
  });
  router.get('/sandbox/notifications', (ctx) => {
    ctx.body = { deliveries: state.deliveries };
  });
  billMutationRoutes(router, state.mutations);
}
