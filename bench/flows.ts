/**
 * Complete payment flows per second through the BFF against the sandbox peers at zero latency:
 * e-voucher authorization → registration order (HIS pre-settlement) → pay (6201, 6202, WeChat
 * mixed order) → the patient confirms in WeChat → 6302 settlement notification (and 6301 when
 * the patient's confirmation poll comes first) → HIS write-back → completed.
 *
 * "BFF-added latency" is read from each response's Server-Timing header: the time the BFF spent
 * on the request minus the time it waited on peers.
 *
 *   npx tsx bench/flows.ts [--concurrency 100] [--seconds 20]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patientApi as api } from '@mip/shared';
import Redis from 'ioredis';
import { startStack, type Stack } from '../scripts/stack';
import { CROWD_SIZE } from '../sandbox/seed/persons';
import { BenchClient, percentile, post, slotPool, type Timed } from './client';

/** the crowd books the same sessions again and again: the HIS's one-registration-per-session rule is off for throughput runs */
const BENCH_SANDBOX = { his: { oneRegistrationPerSession: false } };

/**
 * The bench's 400 patients log in from one address and pay far more often than people do: the
 * rate limits (bff/src/http/rate-limit.ts, tested in test/integration/rate-limits.test.ts) are off.
 */
export const BENCH_RATE_LIMITS = { login: { limit: 0, windowSeconds: 60 }, orderCreate: { limit: 0, windowSeconds: 60 }, orderPay: { limit: 0, windowSeconds: 60 } };

/** the bench's "result page" waits server-side like the real client (client/src/lib/confirm.ts), at most this long per request */
const WAIT_SECONDS = 20;

export async function benchFlows(opts: { concurrency?: number; seconds?: number } = {}): Promise<object> {
  const concurrency = opts.concurrency ?? 100;
  const seconds = opts.seconds ?? 20;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-bench-'));
  const stack: Stack = await startStack({ dir, sandboxConfig: BENCH_SANDBOX, bffConfig: { validateResponses: false, rateLimits: BENCH_RATE_LIMITS }, bffEnv: { LOG_LEVEL: 'warn', ...(process.env.BFF_NODE_ARGS ? { MIP_NODE_ARGS: process.env.BFF_NODE_ARGS } : {}) } });
  const samples: Timed[] = [];
  try {
    const wechat = stack.urls.wechat;
    const login = async (key: string) => {
      const c = new BenchClient(stack.urls.bff, samples);
      const { code } = await post<{ code: string }>(`${wechat}/sandbox/dev/login-code`, { openid: `sandbox-${key}` });
      c.token = (await c.call<{ token: string }>(api.login, { body: { channel: 'wechat', code } })).token;
      return c;
    };
    // Untimed preparation: every crowd patient logs in and registers their benefit once.
    const patients: { key: string; c: BenchClient }[] = [];
    for (let i = 0; i < CROWD_SIZE; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, CROWD_SIZE - i) }, async (_, j) => {
          const key = `crowd${String(i + j + 1).padStart(4, '0')}`;
          const c = await login(key);
          const st = (await c.call<{ benefits: { code: string }[] }>(api.insuranceStatus, { body: { regionCode: '440100', ...(await identity(key)) } })).benefits;
          await c.call(api.chooseBenefit, { body: { benefitCode: st[0].code } });
          return { key, c };
        }),
      );
      patients.push(...batch);
    }
    const slots = await slotPool(patients[0].c);
    samples.length = 0;

    const procs = [...stack.bffs.map((b) => ['bff', b.pid] as const), ...Object.entries(stack.peers).map(([n, h]) => [n, h.pid] as const)];
    const cpuBefore = procs.map(([, pid]) => cpuSeconds(pid));
    const benchCpuBefore = process.cpuUsage();
    const redis = new Redis(stack.redis.url);
    await redis.config('RESETSTAT');
    let next = 0;
    let done = 0;
    let failed = 0;
    const errors: Record<string, number> = {};
    const flowMs: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    const started = Date.now();

    async function flow(p: { key: string; c: BenchClient }, slotId: string): Promise<void> {
      const t0 = performance.now();
      const { authCode } = await post<{ authCode: string }>(`${wechat}/sandbox/dev/insurance-auth`, { openid: `sandbox-${p.key}` });
      await p.c.call(api.authorizeInsurance, { body: { authCode } });
      const { order } = await p.c.call<{ order: { orderNo: string } }>(api.createOrder, {
        body: { kind: 'registration', slotId },
        headers: { 'idempotency-key': `bench-${p.key}-${next}-${Date.now()}` },
      });
      const { payment } = await p.c.call<{ payment: Record<string, unknown> }>(api.payOrder, { params: { orderNo: order.orderNo }, body: {} });
      await post(`${wechat}/sandbox/dev/pay`, { ...payment, openid: `sandbox-${p.key}`, outcome: 'ok' });
      // one waiting status request per state change: awaiting_payment → paid → completed
      for (let state = 'awaiting_payment'; ; ) {
        const url = `${api.getOrder.path.replace(':orderNo', order.orderNo)}?waitFor=${state}&timeout=${WAIT_SECONDS}`;
        const { order: o } = await p.c.raw<{ order: { state: string } }>(api.getOrder.id, 'GET', url);
        if (o.state === 'completed') break;
        if (['failed', 'cancelled', 'manual_review', 'reversed'].includes(o.state)) throw new Error(`ended ${o.state}`);
        state = o.state;
      }
      flowMs.push(performance.now() - t0);
    }

    // Worker w only uses patients w, w+C, w+2C…: one patient never has two flows at once.
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        const mine = patients.filter((_, i) => i % concurrency === w);
        for (let j = 0; Date.now() < deadline && mine.length; j++) {
          const slotId = slots[next++];
          if (!slotId) return;
          try {
            await flow(mine[j % mine.length], slotId);
            done++;
          } catch (err) {
            failed++;
            const k = (err as Error).message.slice(0, 80);
            errors[k] = (errors[k] ?? 0) + 1;
          }
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const cpu: Record<string, number> = Object.fromEntries(procs.map(([name, pid], i) => [name, Math.round((cpuSeconds(pid) - cpuBefore[i]) * 100) / 100]));
    const b = process.cpuUsage(benchCpuBefore);
    cpu.benchClient = Math.round(((b.user + b.system) / 1e6) * 100) / 100;
    const timed = samples.filter((s) => s.appMs !== undefined);
    const bffAdded = (s: Timed) => Math.max(0, s.appMs! - (s.peerMs ?? 0));
    const added = timed.map(bffAdded);
    const byEndpoint: Record<string, { n: number; p50: number; p99: number }> = {};
    for (const id of [...new Set(timed.map((s) => s.what))]) {
      const xs = timed.filter((s) => s.what === id).map(bffAdded);
      byEndpoint[id] = { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) };
    }
    const national = (await (await fetch(`${stack.urls.national}/sandbox/orders`)).json()) as { orders: { ordStas: string }[] };
    const redisCommands = commandsPerFlow(await redis.info('commandstats'), done);
    redis.disconnect();
    return {
      concurrency,
      seconds: elapsed,
      flowsCompleted: done,
      flowsFailed: failed,
      errors,
      flowsPerSecond: Math.round((done / elapsed) * 10) / 10,
      flowLatencyMs: { p50: percentile(flowMs, 50), p99: percentile(flowMs, 99) },
      bffAddedLatencyMs: { requests: added.length, p50: percentile(added, 50), p99: percentile(added, 99), byEndpoint },
      centreOrdersSettled: national.orders.filter((o) => o.ordStas === '6').length,
      /** CPU seconds each process used during the timed phase (2 cores = 2 s per second) */
      cpuSeconds: cpu,
      /** Redis commands per completed flow, by command (INFO commandstats over the timed phase) */
      redisCommandsPerFlow: redisCommands,
    };
  } finally {
    await stack.stop();
    if (process.env.KEEP_STACK) process.stderr.write(`stack kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** utime + stime of a process, from /proc (Linux). */
function commandsPerFlow(info: string, flows: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    if (['config', 'info'].includes(m[1])) continue;
    total += Number(m[2]);
    out[m[1]] = Math.round((Number(m[2]) / Math.max(1, flows)) * 10) / 10;
  }
  return { total: Math.round((total / Math.max(1, flows)) * 10) / 10, ...Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1])) };
}

function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

async function identity(key: string): Promise<{ idNo: string; name: string }> {
  const { personByKey } = await import('../sandbox/seed/persons');
  const p = personByKey(key)!;
  return { idNo: p.idNo, name: p.name };
}

if (require.main === module) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  benchFlows({ concurrency: arg('concurrency', 100), seconds: arg('seconds', 20) })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
