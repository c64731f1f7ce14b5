/**
 * Load (issue 7): sustained complete payment flows across three BFF instances behind the stack's
 * round-robin proxy for 60 s — registration and outpatient, WeChat and Alipay, crowd patients —
 * with per-request and per-flow p50/p99 latency and the error count; and, in the same run with
 * the same HTTP client at the same concurrency, a bare Koa "hello" server in its own process, so
 * the BFF's latency can be read as a ratio to the cheapest possible Node HTTP answer here.
 *
 *   npx tsx bench/load.ts [--seconds 60] [--concurrency 50]     (or: npm run bench -- load)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patientApi as api } from '@mip/shared';
import { startStack, type Stack } from '../scripts/stack';
import { freePort } from '../scripts/stack/ports';
import { service } from '../scripts/stack/service';
import { CROWD_SIZE, personByKey } from '../sandbox/seed/persons';
import { BENCH_RATE_LIMITS } from './flows';
import { BenchClient, percentile, post, slotPool, type Timed } from './client';
import { HELLO_ENTRY, measureHello } from './hello';

/** the crowd books the same sessions again and again: the HIS's one-registration-per-session rule is off for throughput runs */
const BENCH_SANDBOX = { his: { oneRegistrationPerSession: false } };

const POLL_MS = 250;

export async function benchLoad(opts: { seconds?: number; concurrency?: number; helloSeconds?: number } = {}): Promise<object> {
  const seconds = opts.seconds ?? 60;
  const concurrency = opts.concurrency ?? 50;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-load-'));
  const stack: Stack = await startStack({ dir, sandboxConfig: BENCH_SANDBOX, bffInstances: 3, bffConfig: { validateResponses: false, rateLimits: BENCH_RATE_LIMITS }, bffEnv: { LOG_LEVEL: 'warn' } });
  const helloPort = await freePort();
  const hello = service({ name: 'hello-koa', entry: HELLO_ENTRY, port: helloPort, env: {}, logDir: path.join(dir, 'logs') });
  await hello.start();
  try {
    // the same client, the same concurrency, first against the bare Koa server
    const koa = await measureHello(hello.url, concurrency, opts.helloSeconds ?? 15);

    const log: Timed[] = [];
    const { wechat, alipay, his } = stack.urls;
    const patients: { key: string; channel: 'wechat' | 'alipay'; c: BenchClient; busy: boolean }[] = [];
    const n = Math.min(CROWD_SIZE, 200);
    for (let i = 0; i < n; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, async (_, j) => {
          const key = `crowd${String(i + j + 1).padStart(4, '0')}`;
          const p = personByKey(key)!;
          const out = [];
          for (const channel of ['wechat', 'alipay'] as const) {
            const c = new BenchClient(stack.urls.bff, []);
            const code = channel === 'wechat' ? (await post<{ code: string }>(`${wechat}/sandbox/dev/login-code`, { openid: `sandbox-${key}` })).code : (await post<{ authCode: string }>(`${alipay}/sandbox/dev/auth-code`, { userId: p.alipayUserId, scopes: ['auth_base'] })).authCode;
            c.token = (await c.call<{ token: string }>(api.login, { body: { channel, code } })).token;
            const st = await c.call<{ benefits: { code: string }[] }>(api.insuranceStatus, { body: { regionCode: '440100', idNo: p.idNo, name: p.name } });
            await c.call(api.chooseBenefit, { body: { benefitCode: st.benefits[0].code } });
            out.push({ key, channel, c, busy: false });
          }
          return out;
        }),
      );
      patients.push(...batch.flat());
    }
    for (const p of patients) p.c.log = log;
    const slots = await slotPool(patients[0].c);

    let done = 0;
    let failed = 0;
    let seq = 0;
    const errors: Record<string, number> = {};
    const flowMs: number[] = [];
    const started = Date.now();
    const deadline = started + seconds * 1000;

    async function flow(p: (typeof patients)[number], i: number): Promise<void> {
      const t0 = performance.now();
      const person = personByKey(p.key)!;
      if (p.channel === 'wechat') {
        const { authCode } = await post<{ authCode: string }>(`${wechat}/sandbox/dev/insurance-auth`, { openid: `sandbox-${p.key}` });
        await p.c.call(api.authorizeInsurance, { body: { authCode } });
      } else {
        const code = async () => (await post<{ authCode: string }>(`${alipay}/sandbox/dev/auth-code`, { userId: person.alipayUserId, scopes: ['nhsamp', 'auth_user'] })).authCode;
        const first = await p.c.call<{ status: string }>(api.authorizeInsurance, { body: { authCode: await code() } });
        if (first.status === 'redirect') {
          await post(`${alipay}/sandbox/dev/authorize-voucher`, { userId: person.alipayUserId });
          await p.c.call(api.authorizeInsurance, { body: { authCode: await code() } });
        }
      }
      const slotId = i % 2 === 0 ? slots.pop() : undefined;
      const body = slotId ? { kind: 'registration', slotId } : { kind: 'outpatient', billNos: [(await post<{ bills: { billNo: string }[] }>(`${his}/sandbox/bills`, { personKey: p.key, template: i })).bills[0].billNo] };
      const { order } = await p.c.call<{ order: { orderNo: string } }>(api.createOrder, { body, headers: { 'idempotency-key': `load-${i}-${Date.now()}` } });
      const { payment } = await p.c.call<{ payment: Record<string, unknown> }>(api.payOrder, { params: { orderNo: order.orderNo }, body: {} });
      if (p.channel === 'wechat') await post(`${wechat}/sandbox/dev/pay`, { ...payment, openid: `sandbox-${p.key}`, outcome: 'ok' });
      else await post(`${alipay}/sandbox/dev/pay`, { tradeNo: payment.tradeNo, outcome: 'ok' });
      for (;;) {
        const { order: o } = await p.c.call<{ order: { state: string } }>(api.getOrder, { params: { orderNo: order.orderNo } });
        if (o.state === 'completed') break;
        if (['failed', 'cancelled', 'manual_review', 'reversed'].includes(o.state)) throw new Error(`ended ${o.state}`);
        if (performance.now() - t0 > 30_000) throw new Error(`still ${o.state} after 30 s`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      flowMs.push(performance.now() - t0);
    }

    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          const free = patients.filter((p) => !p.busy);
          const p = free[Math.floor(Math.random() * free.length)];
          p.busy = true;
          try {
            await flow(p, seq++);
            done++;
          } catch (err) {
            failed++;
            const k = (err as Error).message.slice(0, 80);
            errors[k] = (errors[k] ?? 0) + 1;
          } finally {
            p.busy = false;
          }
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const req = log.map((t) => t.ms);
    const byEndpoint: Record<string, { n: number; p50: number; p99: number }> = {};
    for (const id of [...new Set(log.map((t) => t.what))]) {
      const xs = log.filter((t) => t.what === id).map((t) => t.ms);
      byEndpoint[id] = { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) };
    }
    const bff = { p50: percentile(req, 50), p99: percentile(req, 99) };
    const proxy = (await (await fetch(`${stack.urls.bff}/__proxy/stats`)).json()) as object;
    return {
      instances: 3,
      concurrency,
      seconds: elapsed,
      flowsCompleted: done,
      flowsFailed: failed,
      errors,
      flowsPerSecond: Math.round((done / elapsed) * 10) / 10,
      flowLatencyMs: { p50: percentile(flowMs, 50), p99: percentile(flowMs, 99) },
      bffRequestLatencyMs: { requests: req.length, errors: log.filter((t) => !t.ok).length, ...bff, byEndpoint },
      koaHello: koa,
      ratioToKoaHello: { p50: Math.round((bff.p50 / (koa as { p50: number }).p50) * 10) / 10, p99: Math.round((bff.p99 / (koa as { p99: number }).p99) * 10) / 10 },
      proxy,
      loadAvg: os.loadavg(),
    };
  } finally {
    await hello.stop();
    await stack.stop();
    if (process.env.KEEP_STACK) process.stderr.write(`stack kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  benchLoad({ seconds: arg('seconds', 60), concurrency: arg('concurrency', 50) })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
