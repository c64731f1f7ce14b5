/**
 * The kiosk side of the sandbox centre: decoding the e-voucher QR a patient shows at a kiosk
 * (ec_query [I], same envelope as 6201, modelled on FSI 1101 / e-voucher ec.query) into identity
 * and an ecToken, a dev endpoint that issues such QR codes for seed persons, and the centre's own
 * cashier (SPC 收银台, notes §13 step 8) whose URL 6201 answers as `cashierUrl`. Paying in the
 * cashier settles exactly like /sandbox/internal/pay: Centre.settle, then the 6302 notification.
 *
 * QR refusal codes are ours [I]: 2020 unknown, 2021 expired, 2022 already used. Faults on op
 * 'ec_query' (key: the QR content): kind 'fail' only.
 */
import crypto from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import { fenToYuan } from '@mip/shared';
import { EnvelopeError, open, seal } from './envelope';
import type { FaultBook } from '../common/faults';
import { readJson } from '../common/server';
import { personByKey } from '../seed/persons';
import type { Notifier } from './notifier';
import type { CentreStore } from './store';
import { CentreError, type Centre } from './transactions';

export interface KioskSandboxConfig {
  /** this sandbox's public origin; 6201 answers `${publicUrl}/cashier/${payOrdId}` when set */
  publicUrl?: string;
  ecQueryPath?: string;
  /** [I] the e-voucher app refreshes its QR about every minute */
  qrTtlMs?: number;
  /** [I] the ecToken a decoded QR yields lives minutes */
  ecTokenTtlMs?: number;
}

interface Parts {
  cfg: { appId: string; appSecret: string; hospitalPublicKey: string; platformPrivateKey: string; sm2UserId?: string; orgCodg: string; kiosk?: KioskSandboxConfig };
  store: CentreStore;
  centre: Centre;
  notifier: Notifier;
  faults: FaultBook;
}

interface VoucherQr {
  personKey: string;
  expiresAt: number;
  used: boolean;
}

const esc = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function mountKioskSandbox(router: Router, { cfg, store, centre, notifier, faults }: Parts) {
  const kc = cfg.kiosk ?? {};
  const qrs = new Map<string, VoucherQr>();
  const creds = { appId: cfg.appId, appSecret: cfg.appSecret, privateKey: cfg.platformPrivateKey, userId: cfg.sm2UserId };
  const refuse = (ctx: Koa.Context, code: string, message: string) => void (ctx.body = { code, message });

  /** Dev: the e-voucher QR a seed person would show on their phone. */
  router.post('/sandbox/dev/ec-qrcode', async (ctx) => {
    const b = (await readJson(ctx.req)) as { personKey?: string; ttlMs?: number };
    if (!b.personKey || !personByKey(b.personKey)) return void ((ctx.status = 404), (ctx.body = { message: `no sandbox person ${b.personKey}` }));
    const qrCode = `ECQR440100${crypto.randomBytes(16).toString('hex').toUpperCase()}`;
    const expiresAt = Date.now() + (b.ttlMs ?? kc.qrTtlMs ?? 60_000);
    for (const [k, q] of qrs) if (q.expiresAt < Date.now() - 3600_000) qrs.delete(k);
    qrs.set(qrCode, { personKey: b.personKey, expiresAt, used: false });
    ctx.body = { qrCode, expiresAt: new Date(expiresAt).toISOString() };
  });

  router.post(kc.ecQueryPath ?? '/org/local/api/hos/ec_query', async (ctx) => {
    let data: Record<string, unknown>;
    try {
      data = open(await readJson(ctx.req), { appId: cfg.appId, appSecret: cfg.appSecret, peerPublicKey: cfg.hospitalPublicKey, userId: cfg.sm2UserId }) as Record<string, unknown>;
    } catch (err) {
      const code = err instanceof EnvelopeError ? err.code : 'MALFORMED';
      return refuse(ctx, code === 'SIGNATURE_INVALID' ? '1002' : code === 'APP_ID_MISMATCH' ? '1004' : '1000', `报文校验失败: ${code}`);
    }
    const qrCode = String(data.qrCode ?? data.mdtrtCertNo ?? '');
    const fault = faults.take('ec_query', qrCode);
    if (fault?.kind === 'fail') return refuse(ctx, fault.code ?? '9999', fault.message ?? '系统繁忙');
    if ((data.orgCodg ?? data.orgId) !== cfg.orgCodg) return refuse(ctx, '1003', '定点医药机构编码不符');
    const q = qrs.get(qrCode);
    if (!q) return refuse(ctx, '2020', '电子凭证二维码无效');
    if (q.expiresAt < Date.now()) return refuse(ctx, '2021', '电子凭证二维码已过期，请刷新后重试');
    if (q.used) return refuse(ctx, '2022', '电子凭证二维码已使用，请刷新后重试');
    q.used = true;
    const person = personByKey(q.personKey)!;
    const ins = person.insurance.find((i) => i.status === 'insured') ?? person.insurance[0];
    // the ecToken goes into the pay-authorization table: 6201/6202 check it like a payAuthNo
    const ecToken = `EC440100${crypto.randomBytes(12).toString('hex').toUpperCase()}`;
    store.auths.set(ecToken, { payAuthNo: ecToken, idNo: person.idNo, name: person.name, channel: 'kiosk', expiresAt: Date.now() + (kc.ecTokenTtlMs ?? 5 * 60_000) });
    const answer: Record<string, unknown> = { idNo: person.idNo, userName: person.name, idType: '01', ecToken, insuplcAdmdvs: ins.regionCode };
    if (ins.status === 'insured' && ins.psnNo) answer.psnNo = ins.psnNo;
    ctx.body = { code: 0, message: 'success', ...seal(answer, creds, { timestamp: String(Date.now()), hexCase: 'lower' }) };
  });

  /** The cashier page, for people clicking through the sandbox. */
  router.get('/cashier/:payOrdId', (ctx) => {
    const o = store.orders.get(ctx.params.payOrdId);
    ctx.type = 'html';
    if (!o) return void ((ctx.status = 404), (ctx.body = page('收银台', '<p>没有找到这笔订单。</p>')));
    if (o.ordStas === '6') return void (ctx.body = page('收银台', '<p class="ok">这笔费用已经支付成功。</p>'));
    if (!o.split || !['1', '2'].includes(o.ordStas)) return void (ctx.body = page('收银台', `<p>订单当前不能支付（状态 ${esc(o.ordStas)}），请回到自助机重试。</p>`));
    const s = o.split;
    const rows = [['费用总额', s.totalFen], ['医保统筹支付', s.fundFen], ['个人账户支付', s.acctFen], ['需自付', s.cashFen]]
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(fenToYuan(Number(v)))} 元</td></tr>`).join('');
    const script = `async function pay(outcome){const r=await fetch(location.pathname+'/pay',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({outcome})});const b=await r.json();document.getElementById('result').textContent=b.ok?'支付成功，请回到自助机查看结果':'支付未成功：'+(b.message||b.ordStas);}`;
    ctx.body = page('医保移动支付收银台', `<p>${esc(o.name.slice(0, 1))}** 的费用</p><table>${rows}</table>
<button onclick="pay('ok')">确认支付</button> <button class="minor" onclick="pay('fail')">模拟支付失败</button><p id="result"></p><script>${script}</script>`);
  });

  router.post('/cashier/:payOrdId/pay', async (ctx) => {
    const b = (await readJson(ctx.req)) as { outcome?: string };
    const o0 = store.orders.get(ctx.params.payOrdId);
    if (!o0) return void ((ctx.status = 404), (ctx.body = { ok: false, code: '2002', message: '支付订单不存在' }));
    try {
      const o =
        b.outcome === 'fail'
          ? centre.fail(o0.payOrdId)
          : centre.settle({ payOrdId: o0.payOrdId, payAuthNo: o0.payAuthNo, cashFen: o0.split?.cashFen ?? -1, channel: 'cashier', cashTradeNo: `CSH${Date.now()}${crypto.randomInt(1000, 9999)}` });
      if (o.ordStas === '6') notifier.send(o.payOrdId, () => centre.settlementData(o), (env) => (o.lastNotification = env));
      ctx.body = { ok: o.ordStas === '6', ordStas: o.ordStas, traceTime: o.traceTime };
    } catch (err) {
      if (err instanceof CentreError) ctx.body = { ok: false, code: err.code, message: err.message };
      else throw err;
    }
  });

  return {
    /** 6201's answer with the cashier address, when this sandbox knows its public URL. */
    withCashierUrl(result: Record<string, unknown>): Record<string, unknown> {
      return kc.publicUrl && typeof result.payOrdId === 'string' ? { ...result, cashierUrl: `${kc.publicUrl}/cashier/${result.payOrdId}` } : result;
    },
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font:20px/1.6 sans-serif;max-width:28em;margin:2em auto;padding:0 1em}table{width:100%;margin:1em 0}th{text-align:left;font-weight:normal}td{text-align:right}button{font-size:22px;padding:.5em 1.5em}.minor{font-size:16px}.ok{color:#070}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}
