/**
 * The sandbox mobile-payment centre: speaks the centre's envelope (SM4 + SM2, verified with the
 * hospital's public key, answers signed with the platform key), keeps its own orders and
 * personal-account balances, splits bills by a configurable policy and sends 6302 settlement
 * notifications — and misbehaves on request (sandbox/common/faults.ts).
 */
import type Koa from 'koa';
import { open, seal, EnvelopeError } from './envelope';
import { createSandboxApp, drop, hang, readJson, sleep } from '../common/server';
import type { FaultRule } from '../common/faults';
import { DEFAULT_POLICY, type SplitPolicy } from './policy';
import { CentreStore } from './store';
import { Centre, CentreError, type CentreConfig } from './transactions';
import { Notifier } from './notifier';
import { notificationBody, type ExtraAmountsPolicy, type NotificationForm, type SetlinfoShape } from './rules';
import { mountKioskSandbox, type KioskSandboxConfig } from './kiosk';
import { CallLog } from './call-log';

export interface NationalSandboxConfig {
  appId: string;
  appSecret: string;
  hospitalPublicKey: string;
  platformPrivateKey: string;
  sm2UserId?: string;
  orgCodg: string;
  /** the hospital's 6302 URL */
  notifyUrl: string;
  notifyRetries?: number;
  notifyBaseMs?: number;
  payAuthTtlMs?: number;
  /** default true: 6203 needs exactly one of payAuthNo / ecToken (TSX validate6203Refund) */
  refundRequiresPayAuthNo?: boolean;
  /** 6201 with payAuthNo needs mdtrtId (TSX validate6201FeeUpload); default true */
  requireMdtrtIdIn6201?: boolean;
  /** 6302 body: TSX (no ordStas, default) or HSA (with ordStas) */
  notificationForm?: NotificationForm;
  extraAmounts?: ExtraAmountsPolicy;
  setlinfoShape?: SetlinfoShape;
  policy?: Partial<SplitPolicy>;
  paths?: Partial<Record<'6201' | '6202' | '6203' | '6301' | '6401', string>>;
  kiosk?: KioskSandboxConfig;
}

const DEFAULT_PATHS = {
  '6201': '/org/local/api/hos/uldFeeInfo',
  '6202': '/org/local/api/hos/pay_order',
  '6203': '/org/local/api/hos/refund_Order',
  '6301': '/org/local/api/hos/query_order_info',
  '6401': '/org/local/api/hos/revoke_order',
} as const;

type Infno = keyof typeof DEFAULT_PATHS;

export function createNationalSandbox(cfg: NationalSandboxConfig) {
  const { app, router, faults } = createSandboxApp('national-sandbox');
  const store = new CentreStore();
  const policy: SplitPolicy = { ...DEFAULT_POLICY, ...(cfg.policy ?? {}) };
  const centreCfg: CentreConfig = {
    orgCodg: cfg.orgCodg,
    policy,
    refundRequiresPayAuthNo: cfg.refundRequiresPayAuthNo ?? true,
    requireMdtrtIdIn6201: cfg.requireMdtrtIdIn6201 ?? true,
    ...(cfg.extraAmounts ? { extraAmounts: cfg.extraAmounts } : {}),
    ...(cfg.setlinfoShape ? { setlinfoShape: cfg.setlinfoShape } : {}),
  };
  const centre = new Centre(store, centreCfg, {
    take: (op, key) => faults.take(op, key),
  });
  const creds = { appId: cfg.appId, appSecret: cfg.appSecret, privateKey: cfg.platformPrivateKey, userId: cfg.sm2UserId };
  const shape = { notificationForm: cfg.notificationForm ?? ('tsx' as NotificationForm) };
  // fault op 'notify-form' (kind shape, `{form}`): this one order's 6302 in the other form (TSX / HSA, rules.ts)
  const formOf = (data: Record<string, unknown>): NotificationForm => {
    const f = faults.take('notify-form', String(data.payOrdId ?? ''))?.shape?.form;
    return f === 'tsx' || f === 'hsa' ? f : shape.notificationForm;
  };
  const notifier = new Notifier({ url: cfg.notifyUrl, retries: cfg.notifyRetries ?? 6, baseMs: cfg.notifyBaseMs ?? 1000 }, faults, (data, at) =>
    seal(notificationBody(data, formOf(data)), creds, { timestamp: String(at) }));

  const answer = (ctx: Koa.Context, data: Record<string, unknown>) => {
    ctx.body = { code: 0, message: 'success', ...seal(data, creds, { timestamp: String(Date.now()), hexCase: 'lower' }) };
  };
  const refuse = (ctx: Koa.Context, code: string, message: string) => {
    ctx.body = { code, message };
  };

  const kiosk = mountKioskSandbox(router, { cfg, store, centre, notifier, faults });
  const handlers: Record<Infno, (d: Record<string, unknown>) => Record<string, unknown>> = {
    '6201': (d) => centre.feeUpload(d),
    '6202': (d) => centre.payOrder(d),
    '6203': (d) => centre.refund(d),
    '6301': (d) => centre.query(d),
    '6401': (d) => centre.revoke(d),
  };

  const calls = new CallLog();
  for (const infno of Object.keys(DEFAULT_PATHS) as Infno[]) {
    router.post(cfg.paths?.[infno] ?? DEFAULT_PATHS[infno], async (ctx) => {
      let body: unknown;
      try {
        body = await readJson(ctx.req);
      } catch {
        return refuse(ctx, '1000', '报文格式错误');
      }
      let data: Record<string, unknown>;
      try {
        data = open(body, { appId: cfg.appId, appSecret: cfg.appSecret, peerPublicKey: cfg.hospitalPublicKey, userId: cfg.sm2UserId }) as Record<string, unknown>;
      } catch (err) {
        const code = err instanceof EnvelopeError ? err.code : 'MALFORMED';
        return refuse(ctx, code === 'SIGNATURE_INVALID' ? '1002' : code === 'APP_ID_MISMATCH' ? '1004' : '1000', `报文校验失败: ${code}`);
      }
      calls.record(infno, data);
      const key = String(data.payOrdId ?? data.medOrgOrd ?? '');
      const fault = faults.take(infno, key);
      if (fault && (await misbehaveBefore(ctx, fault))) return;
      let result: Record<string, unknown>;
      try {
        result = handlers[infno](data);
      } catch (err) {
        if (err instanceof CentreError) return refuse(ctx, err.code, err.message);
        throw err;
      }
      if (fault && (await misbehaveAfter(ctx, fault))) return;
      answer(ctx, result);
    });
  }

  /** Channel sandboxes: the centre issues the e-voucher pay authorization. */
  router.post('/sandbox/internal/pay-auth', async (ctx) => {
    const b = (await readJson(ctx.req)) as { idNo?: string; name?: string; channel?: string };
    if (!b.idNo || !b.name) return refuse(ctx, '1001', '参数校验失败');
    const a = store.issueAuth(b.idNo.toUpperCase(), b.name, b.channel ?? 'unknown', cfg.payAuthTtlMs ?? 5 * 60_000);
    ctx.body = { payAuthNo: a.payAuthNo, expiresAt: new Date(a.expiresAt).toISOString() };
  });

  /** Channel sandboxes: the patient confirmed the mixed payment; settle and notify the hospital. */
  router.post('/sandbox/internal/pay', async (ctx) => {
    const b = (await readJson(ctx.req)) as { payOrdId: string; payAuthNo: string; cashFen: number; channel: string; cashTradeNo?: string; outcome?: string };
    try {
      const o = b.outcome === 'fail' ? centre.fail(b.payOrdId) : centre.settle(b);
      if (o.ordStas === '6') notifier.send(o.payOrdId, () => centre.settlementData(o), (env) => (o.lastNotification = env));
      ctx.body = { ok: o.ordStas === '6', ordStas: o.ordStas, traceTime: o.traceTime };
    } catch (err) {
      if (err instanceof CentreError) ctx.body = { ok: false, code: err.code, message: err.message };
      else throw err;
    }
  });

  /** HIS sandbox: the hospital reversed (冲正) the insurance part of a settlement through its HIS. */
  router.post('/sandbox/internal/reverse', async (ctx) => {
    const b = (await readJson(ctx.req)) as { payOrdId?: string };
    try {
      const o = centre.reverseInsurance(String(b.payOrdId ?? ''));
      ctx.body = { ok: true, ordStas: o.ordStas };
    } catch (err) {
      if (err instanceof CentreError) ctx.body = { ok: false, code: err.code, message: err.message };
      else throw err;
    }
  });

  router.get('/sandbox/orders', (ctx) => {
    ctx.body = { orders: [...store.orders.values()].map(view) };
  });
  router.get('/sandbox/orders/:payOrdId', (ctx) => {
    const o = store.orders.get(ctx.params.payOrdId) ?? store.orders.get(store.byMedOrgOrd.get(ctx.params.payOrdId) ?? '');
    if (!o) return void (ctx.status = 404);
    ctx.body = { order: view(o), lastNotification: o.lastNotification, notificationsAcked: notifier.ackedByKey.get(o.payOrdId) ?? 0 };
  });
  /**
   * Re-send the 6302 notification of an order (as the real centre retries). `?sealedAgoMs=`
   * makes it a copy sealed that long ago: a notification repeated hours later, without sleeping.
   */
  router.post('/sandbox/orders/:payOrdId/notify', (ctx) => {
    const o = store.orders.get(ctx.params.payOrdId);
    if (!o) return void (ctx.status = 404);
    const ago = Math.max(0, Number(ctx.query.sealedAgoMs ?? 0) || 0);
    notifier.send(o.payOrdId, () => centre.settlementData(o), (env) => (o.lastNotification = env), ago);
    ctx.body = { ok: true };
  });
  /** Tests switch the centre's answer shapes (rules.ts) at run time; `{}` restores the start-up ones. */
  router.post('/sandbox/national-config', async (ctx) => {
    const b = (await readJson(ctx.req)) as { extraAmounts?: ExtraAmountsPolicy; setlinfoShape?: SetlinfoShape; notificationForm?: NotificationForm };
    centreCfg.extraAmounts = b.extraAmounts ?? cfg.extraAmounts;
    centreCfg.setlinfoShape = b.setlinfoShape ?? cfg.setlinfoShape;
    shape.notificationForm = b.notificationForm ?? cfg.notificationForm ?? 'tsx';
    ctx.body = { ok: true };
  });
  /** the transactions received for an order (`?key=` its payOrdId and/or medOrgOrd, repeatable), oldest first */
  router.get('/sandbox/calls', (ctx) => {
    const k = ctx.query.key;
    ctx.body = { calls: calls.of(...(Array.isArray(k) ? k : k ? [k] : [])) };
  });
  router.get('/sandbox/balances/:psnNo', (ctx) => {
    ctx.body = { psnNo: ctx.params.psnNo, balanceFen: store.balances.get(ctx.params.psnNo) ?? null };
  });
  router.post('/sandbox/reset', (ctx) => {
    store.reset();
    calls.reset();
    kiosk.reset();
    faults.clear();
    ctx.body = { ok: true };
  });

  app.use(router.routes()).use(router.allowedMethods());
  return { app, store, centre, faults, notifier };
}

function view(o: import('./store').CentreOrder) {
  const { payToken, lastNotification, uploadFingerprint, ...rest } = o;
  return rest;
}

async function misbehaveBefore(ctx: Koa.Context, f: FaultRule): Promise<boolean> {
  if (f.kind === 'delay') await sleep(f.ms ?? 1000);
  if (f.kind === 'fail') {
    ctx.status = f.status ?? 200;
    ctx.body = { code: f.code ?? '9999', message: f.message ?? '系统繁忙' };
    return true;
  }
  if (f.after === 'act') return false;
  if (f.kind === 'timeout') return hang(ctx).then(() => true);
  if (f.kind === 'drop') return (drop(ctx), true);
  if (f.kind === 'ambiguous') return ((ctx.body = '<html>502 Bad Gateway</html>'), true);
  return false;
}

async function misbehaveAfter(ctx: Koa.Context, f: FaultRule): Promise<boolean> {
  if (f.after !== 'act') return false;
  if (f.kind === 'timeout') return hang(ctx).then(() => true);
  if (f.kind === 'drop') return (drop(ctx), true);
  if (f.kind === 'ambiguous') return ((ctx.body = '<html>502 Bad Gateway</html>'), true);
  return false;
}
