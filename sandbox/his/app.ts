import type Koa from 'koa';
import { z } from 'zod';
import { createSandboxApp, readJson, type SandboxApp } from '../common/server';
import { hisAuth } from './auth';
import { HisSandboxConfig, type HisSandboxConfigInput } from './config';
import { ledgerView } from './ledger';
import { failureReply, HisFailure } from './protocol';
import { MessagePusher } from './push';
import { registerApiRoutes } from './routes';
import { HisWorld } from './world';

export interface HisSandbox extends SandboxApp {
  world: HisWorld;
  pusher: MessagePusher;
  /** the live configuration (POST /sandbox/config changes it) */
  config: HisSandboxConfig;
  /** stops pending message pushes (in-process tests) */
  close(): void;
}

const ConfigPatch = z.object({
  idempotentWriteBack: z.boolean().optional(),
  supportsReversal: z.boolean().optional(),
  preSettlementTtlMs: z.number().int().positive().optional(),
  pushEnabled: z.boolean().optional(),
  bffUrl: z.string().url().optional(),
  oneRegistrationPerSession: z.boolean().optional(),
  cancelCutoffMinutes: z.number().int().nonnegative().optional(),
});

/**
 * The hospital's HIS as a sandbox: the open API under /api (HMAC-signed), and test control under
 * /sandbox (faults, ledger, reset, config, pushes) on the same loopback port.
 */
export function createHisSandbox(input: HisSandboxConfigInput): HisSandbox {
  const initial = HisSandboxConfig.parse(input);
  const config: HisSandboxConfig = structuredClone(initial);
  const base = createSandboxApp('his');
  const { app, router, faults } = base;
  const world = new HisWorld();
  const pusher = new MessagePusher(() => config.push, faults);
  const secrets = new Map(config.clients.map((c) => [c.clientId, c.secret]));

  app.use(apiErrors);
  app.use(hisAuth((id) => secrets.get(id), config.maxSkewMs));

  registerApiRoutes(router, { world, faults, config, pusher });

  router.get('/sandbox/ledger', (ctx) => {
    ctx.body = ledgerView(world);
  });
  router.get('/sandbox/ledger/:orderNo', (ctx) => {
    ctx.body = { orderNo: ctx.params.orderNo, ...ledgerView(world, ctx.params.orderNo) };
  });
  /** test control: new unpaid bills for a patient ({personKey, template?, count?}) — see HisWorld.addBill */
  router.post('/sandbox/bills', async (ctx) => {
    const b = z.object({ personKey: z.string().min(1), template: z.number().int().optional(), count: z.number().int().min(1).max(50).optional() }).parse(await readJson(ctx.req));
    const bills = Array.from({ length: b.count ?? 1 }, (_, i) => world.addBill(b.personKey, (b.template ?? 0) + i));
    ctx.body = { bills: bills.map((x) => ({ billNo: x.billNo, totalFen: x.totalFen })) };
  });
  router.get('/sandbox/pushes', (ctx) => {
    ctx.body = { pushes: pusher.log };
  });
  router.get('/sandbox/config', (ctx) => {
    ctx.body = { idempotentWriteBack: config.idempotentWriteBack, supportsReversal: config.supportsReversal, preSettlementTtlMs: config.preSettlementTtlMs, pushEnabled: config.push.enabled, oneRegistrationPerSession: config.oneRegistrationPerSession, cancelCutoffMinutes: config.cancelCutoffMinutes };
  });
  router.post('/sandbox/config', async (ctx) => {
    const patch = ConfigPatch.parse(await readJson(ctx.req));
    if (patch.idempotentWriteBack !== undefined) config.idempotentWriteBack = patch.idempotentWriteBack;
    if (patch.supportsReversal !== undefined) config.supportsReversal = patch.supportsReversal;
    if (patch.preSettlementTtlMs !== undefined) config.preSettlementTtlMs = patch.preSettlementTtlMs;
    if (patch.pushEnabled !== undefined) config.push.enabled = patch.pushEnabled;
    if (patch.bffUrl !== undefined) config.push.bffUrl = patch.bffUrl;
    if (patch.oneRegistrationPerSession !== undefined) config.oneRegistrationPerSession = patch.oneRegistrationPerSession;
    if (patch.cancelCutoffMinutes !== undefined) config.cancelCutoffMinutes = patch.cancelCutoffMinutes;
    ctx.body = { ok: true };
  });
  /** back to the seed: patients, bills, bookings, ledger, pushes, faults and configuration */
  router.post('/sandbox/reset', (ctx) => {
    world.reset();
    faults.clear();
    pusher.stop();
    pusher.log.length = 0;
    Object.assign(config, structuredClone(initial));
    ctx.body = { ok: true };
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return { ...base, world, pusher, config, close: () => pusher.stop() };
}

/** Documented refusals thrown while reading input; anything else is the HIS's -1. */
const apiErrors: Koa.Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!ctx.path.startsWith('/api/')) throw err;
    if (err instanceof HisFailure) {
      const r = failureReply(err);
      ctx.status = r.status;
      ctx.body = r.body;
      return;
    }
    ctx.app.emit('error', err, ctx);
    ctx.status = 500;
    ctx.body = { code: '-1', message: '系统异常', data: null };
  }
};
