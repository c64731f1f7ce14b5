/**
 * The centre's cashier (收银台, SPC) in the sandbox, written from the official cashier SDK sample
 * `hsa.spc.sdk` `SpcClientTest.java` (index id 37727724238):
 *  - 4.1 unified order `/pmc/api/spc/unifiedOrder/UNION_CHS` in the centre's envelope: orgCode,
 *    idNo, userName, idType, payOrdId, operator, outTradeNo, orgName, frontBackUrl, syncCalUrl,
 *    amount, feeSumamt, fundPayAmt, othPayAmt → `{cashierUrl}`. Strict: every field the sample
 *    sends, the order's own identity, and amounts that are the 6202 split (sample: feeSumamt 0.03 =
 *    fundPayAmt 0.02 + othPayAmt 0 + amount 0.01, amount = personal account + cash).
 *  - the cashier page and its pay action (a dev route a test or a browser uses to "pay");
 *  - the back-end callback to syncCalUrl: an envelope signed with the platform key whose data
 *    has the sample's fields `{traceId, amount, payType, psnAcctPayAmt, psnAcctMerchantId,
 *    outTradeNo, tradeStatus, amtMerchantId, payOrdId, queryId}` — no ordStas. Retried until HTTP
 *    200 ([?] the acknowledgement is not public).
 * The cashier's self-pay part is refunded through the centre's 6203 (refdType CASH, transactions.ts).
 *
 * Faults: op 'unified_order' (key payOrdId) kind fail; op 'cashier_callback' (key payOrdId)
 * kind drop (no callback: the hospital must query) or duplicate (sent `count` times).
 * [I] tradeStatus values other than SUCCESS are not public: a failed payment calls back "FAIL".
 */
import crypto from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import { fenToYuan, yuanToFen } from '@mip/shared';
import { EnvelopeError, open, seal } from './envelope';
import type { FaultBook } from '../common/faults';
import { readJson, sleep } from '../common/server';
import type { Notifier } from './notifier';
import type { CentreOrder, CentreStore } from './store';
import { CentreError, type Centre } from './transactions';

export interface CashierSandboxConfig {
  unifiedOrderPath?: string;
  callbackRetries?: number;
  callbackBaseMs?: number;
}

interface CashierOrder {
  token: string;
  payOrdId: string;
  outTradeNo: string;
  syncCalUrl: string;
  frontBackUrl: string;
  state: 'open' | 'paid' | 'failed';
  queryId?: string;
  traceId?: string;
  tradeStatus?: string;
  callbacksSent: number;
  callbacksAcked: number;
}

interface Parts {
  cfg: { appId: string; appSecret: string; hospitalPublicKey: string; platformPrivateKey: string; sm2UserId?: string; orgCodg: string };
  publicUrl?: string;
  cashier?: CashierSandboxConfig;
  store: CentreStore;
  centre: Centre;
  notifier: Notifier;
  faults: FaultBook;
}

/** The unified order's fields, as SpcClientTest.testRequest fills them. */
const REQUIRED = ['orgCode', 'orgName', 'idNo', 'userName', 'idType', 'payOrdId', 'operator', 'outTradeNo', 'frontBackUrl', 'syncCalUrl', 'amount', 'feeSumamt', 'fundPayAmt', 'othPayAmt'];
const esc = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const text = (d: Record<string, unknown>, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : typeof d[k] === 'number' ? String(d[k]) : '');

export function mountCashierSandbox(router: Router, { cfg, publicUrl, cashier = {}, store, centre, notifier, faults }: Parts) {
  const orders = new Map<string, CashierOrder>(); // by payOrdId
  const byToken = new Map<string, CashierOrder>();
  const creds = { appId: cfg.appId, appSecret: cfg.appSecret, privateKey: cfg.platformPrivateKey, userId: cfg.sm2UserId };
  const sealed = (data: Record<string, unknown>) => seal(data, creds, { timestamp: String(Date.now()), hexCase: 'lower' });

  function unifiedOrder(d: Record<string, unknown>): Record<string, unknown> {
    const missing = REQUIRED.filter((k) => text(d, k) === '');
    if (missing.length) throw new CentreError('1001', `参数校验失败: 缺少 ${missing.join(',')}`);
    if (text(d, 'orgCode') !== cfg.orgCodg) throw new CentreError('1003', '定点医药机构编码不符');
    for (const k of ['frontBackUrl', 'syncCalUrl']) if (!/^https?:\/\/\S+$/.test(text(d, k))) throw new CentreError('1001', `参数校验失败: ${k}`);
    const payOrdId = text(d, 'payOrdId');
    const o = store.orders.get(payOrdId);
    if (!o) throw new CentreError('2002', '支付订单不存在');
    if (!o.split || !['1', '2'].includes(o.ordStas)) throw new CentreError('2004', `订单状态不允许支付 (ordStas=${o.ordStas})`);
    if (text(d, 'idNo').toUpperCase() !== o.idNo.toUpperCase() || text(d, 'userName') !== o.name) throw new CentreError('2006', '身份信息与订单不符');
    let amount: number, total: number, fund: number, oth: number;
    try {
      [amount, total, fund, oth] = ['amount', 'feeSumamt', 'fundPayAmt', 'othPayAmt'].map((k) => yuanToFen(text(d, k)));
    } catch {
      throw new CentreError('1001', '参数校验失败: 金额格式');
    }
    const s = o.split;
    if (total !== s.totalFen || fund !== s.fundFen || amount !== s.acctFen + s.cashFen || amount + fund + oth !== total) {
      throw new CentreError('2003', `金额与医保下单结果不符 (feeSumamt ${fenToYuan(s.totalFen)}, fundPayAmt ${fenToYuan(s.fundFen)}, amount ${fenToYuan(s.acctFen + s.cashFen)})`);
    }
    const outTradeNo = text(d, 'outTradeNo');
    for (const c of orders.values()) if (c.outTradeNo === outTradeNo && c.payOrdId !== payOrdId) throw new CentreError('2007', '商户订单号重复');
    let c = orders.get(payOrdId);
    if (c && c.outTradeNo !== outTradeNo) throw new CentreError('2007', '支付订单已由其他商户订单号下单');
    if (!c) {
      c = { token: crypto.randomBytes(12).toString('hex'), payOrdId, outTradeNo, syncCalUrl: text(d, 'syncCalUrl'), frontBackUrl: text(d, 'frontBackUrl'), state: 'open', callbacksSent: 0, callbacksAcked: 0 };
      orders.set(payOrdId, c);
      byToken.set(c.token, c);
    }
    return { cashierUrl: `${publicUrl ?? ''}/cashier/${c.token}` };
  }

  function callbackData(c: CashierOrder, o: CentreOrder, tradeStatus: string): Record<string, unknown> {
    const s = o.split!;
    const paid = tradeStatus === 'SUCCESS';
    return {
      traceId: c.traceId ?? crypto.randomBytes(16).toString('hex'),
      amount: fenToYuan(paid ? s.cashFen : 0),
      payType: s.cashFen === 0 ? 'PSNACCT' : s.acctFen === 0 ? 'CASH' : 'MIX', // [I] only PSNACCT is in the sample
      psnAcctPayAmt: fenToYuan(paid ? s.acctFen : 0),
      psnAcctMerchantId: '',
      outTradeNo: c.outTradeNo,
      tradeStatus,
      amtMerchantId: '',
      payOrdId: c.payOrdId,
      queryId: c.queryId ?? '',
    };
  }

  async function deliver(c: CashierOrder, envelope: Record<string, unknown>): Promise<void> {
    const retries = cashier.callbackRetries ?? 6;
    for (let attempt = 0; attempt <= retries; attempt++) {
      c.callbacksSent++;
      try {
        const res = await fetch(c.syncCalUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope), signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status === 200) return void c.callbacksAcked++;
      } catch {
        // the hospital is down or slow: call again
      }
      await sleep((cashier.callbackBaseMs ?? 500) * 2 ** attempt);
    }
  }

  /** The callback to the hospital, unless a fault loses it (then only a query finds the payment). */
  function callBack(c: CashierOrder, o: CentreOrder, tradeStatus: string): void {
    c.tradeStatus = tradeStatus;
    const data = callbackData(c, o, tradeStatus);
    c.traceId = String(data.traceId);
    const fault = faults.take('cashier_callback', c.payOrdId);
    if (fault?.kind === 'drop') return;
    const copies = fault?.kind === 'duplicate' ? Math.max(1, fault.count ?? 2) : 1;
    const envelope = sealed(data);
    void Promise.all(Array.from({ length: copies }, () => deliver(c, envelope)));
  }

  const refuse = (ctx: Koa.Context, code: string, message: string) => void (ctx.body = { code, message });

  router.post(cashier.unifiedOrderPath ?? '/pmc/api/spc/unifiedOrder/UNION_CHS', async (ctx) => {
    let data: Record<string, unknown>;
    try {
      data = open(await readJson(ctx.req), { appId: cfg.appId, appSecret: cfg.appSecret, peerPublicKey: cfg.hospitalPublicKey, userId: cfg.sm2UserId }) as Record<string, unknown>;
    } catch (err) {
      const code = err instanceof EnvelopeError ? err.code : 'MALFORMED';
      return refuse(ctx, code === 'SIGNATURE_INVALID' ? '1002' : code === 'APP_ID_MISMATCH' ? '1004' : '1000', `报文校验失败: ${code}`);
    }
    const fault = faults.take('unified_order', text(data, 'payOrdId'));
    if (fault?.kind === 'fail') return refuse(ctx, fault.code ?? '9999', fault.message ?? '系统繁忙');
    try {
      ctx.body = { code: 0, message: 'success', ...sealed(unifiedOrder(data)) };
    } catch (err) {
      if (err instanceof CentreError) return refuse(ctx, err.code, err.message);
      throw err;
    }
  });

  /** The cashier page, for people clicking through the sandbox. */
  router.get('/cashier/:token', (ctx) => {
    const c = byToken.get(ctx.params.token);
    const o = c && store.orders.get(c.payOrdId);
    ctx.type = 'html';
    if (!c || !o) return void ((ctx.status = 404), (ctx.body = page('收银台', '<p>没有找到这笔订单。</p>')));
    if (c.state === 'paid') return void (ctx.body = page('收银台', '<p class="ok">这笔费用已经支付成功。</p>'));
    if (c.state === 'failed' || !o.split) return void (ctx.body = page('收银台', '<p>订单当前不能支付，请回到自助机重试。</p>'));
    const s = o.split;
    const rows = [['费用总额', s.totalFen], ['医保统筹支付', s.fundFen], ['个人账户支付', s.acctFen], ['需自付', s.cashFen]]
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(fenToYuan(Number(v)))} 元</td></tr>`).join('');
    const script = `async function pay(outcome){const r=await fetch(location.pathname+'/pay',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({outcome})});const b=await r.json();document.getElementById('result').textContent=b.ok?'支付成功，请回到自助机查看结果':'支付未成功：'+(b.message||b.tradeStatus);}`;
    ctx.body = page('医保移动支付收银台', `<p>${esc(o.name.slice(0, 1))}** 的费用</p><table>${rows}</table>
<button onclick="pay('ok')">确认支付</button> <button class="minor" onclick="pay('fail')">模拟支付失败</button><p id="result"></p><script>${script}</script>`);
  });

  /** Dev action of the cashier page: the patient pays (or the payment fails). Pressing twice pays once. */
  router.post('/cashier/:token/pay', async (ctx) => {
    const b = (await readJson(ctx.req)) as { outcome?: string };
    const c = byToken.get(ctx.params.token);
    const o0 = c && store.orders.get(c.payOrdId);
    if (!c || !o0) return void ((ctx.status = 404), (ctx.body = { ok: false, code: '2002', message: '支付订单不存在' }));
    if (c.state !== 'open') return void (ctx.body = { ok: c.state === 'paid', tradeStatus: c.tradeStatus, frontBackUrl: c.frontBackUrl });
    try {
      if (b.outcome === 'fail') {
        const o = centre.fail(c.payOrdId);
        c.state = 'failed';
        callBack(c, o, 'FAIL');
      } else {
        c.queryId = `MP${Date.now()}${crypto.randomInt(1000, 9999)}`;
        const o = centre.settle({ payOrdId: c.payOrdId, payAuthNo: o0.payAuthNo, cashFen: o0.split?.cashFen ?? -1, channel: 'cashier', cashTradeNo: c.queryId });
        c.state = 'paid';
        notifier.send(o.payOrdId, () => centre.settlementData(o), (env) => (o.lastNotification = env));
        callBack(c, o, 'SUCCESS');
      }
      ctx.body = { ok: c.state === 'paid', tradeStatus: c.tradeStatus, frontBackUrl: c.frontBackUrl };
    } catch (err) {
      if (err instanceof CentreError) ctx.body = { ok: false, code: err.code, message: err.message };
      else throw err;
    }
  });

  /** Dev: the cashier calls back again (as it retries), optionally with another tradeStatus. */
  router.post('/sandbox/cashier/:payOrdId/callback', async (ctx) => {
    const b = (await readJson(ctx.req)) as { tradeStatus?: string };
    const c = orders.get(ctx.params.payOrdId);
    const o = c && store.orders.get(c.payOrdId);
    if (!c || !o || !o.split) return void ((ctx.status = 404), (ctx.body = { ok: false }));
    const envelope = sealed(callbackData(c, o, b.tradeStatus ?? c.tradeStatus ?? 'SUCCESS'));
    await deliver(c, envelope);
    ctx.body = { ok: true, sent: c.callbacksSent, acked: c.callbacksAcked };
  });

  router.get('/sandbox/cashier/:payOrdId', (ctx) => {
    const c = orders.get(ctx.params.payOrdId);
    if (!c) return void (ctx.status = 404);
    ctx.body = { cashier: c };
  });

  return {
    reset(): void {
      orders.clear();
      byToken.clear();
    },
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font:20px/1.6 sans-serif;max-width:28em;margin:2em auto;padding:0 1em}table{width:100%;margin:1em 0}th{text-align:left;font-weight:normal}td{text-align:right}button{font-size:22px;padding:.5em 1.5em}.minor{font-size:16px}.ok{color:#070}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}
