/**
 * Complete payment flows per second through the BFF against the sandbox peers at zero latency:
 * e-voucher authorization → registration order (HIS pre-settlement) → pay (6201, 6202, WeChat
 * mixed order) → the patient confirms in WeChat → 6302 settlement notification (and 6301 when
 * the patient's confirmation poll comes first) → HIS write-back → completed.
 *
 * "BFF-added latency" is read from each response's Server-Timing header: the time the BFF spent
 * on the request minus the time it waited on peers.
 *
 * One run reports, per completed flow of the closed loop (`concurrency` patients each starting
 * their next flow when the last one ends): BFF CPU ms, Redis commands by command, peer calls by
 * peer and operation, inbound requests by endpoint, and the BFF's CPU in "bare-Koa requests"
 * (a Koa hello server's CPU per request, driven by the same client). Then an open loop at half
 * the measured capacity gives BFF-added latency where latency means something (bench/flow-report.ts).
 *
 *   npx tsx bench/flows.ts [--concurrency 100] [--seconds 20] [--open-seconds 20] [--hello-seconds 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patientApi as api } from '@mip/shared';
import Redis from 'ioredis';
import { startStack, type Stack } from '../scripts/stack';
import { CROWD_SIZE } from '../sandbox/seed/persons';
import { BenchClient, percentile, post, slotPool, type Timed } from './client';
import { bareKoaCost, bffAddedLatency, commandsPerFlow, countersPerFlow, cpuMsPer, openLoop, procCpu, readBffCounters } from './flow-report';

/** the crowd books the same sessions again and again: the HIS's one-registration-per-session rule is off for throughput runs */
const BENCH_SANDBOX = { his: { oneRegistrationPerSession: false } };

/**
 * The bench's 400 patients log in from one address and pay far more often than people do: the
 * rate limits (bff/src/http/rate-limit.ts, tested in test/integration/rate-limits.test.ts) are off.
 */
export const BENCH_RATE_LIMITS = { login: { limit: 0, windowSeconds: 60 }, orderCreate: { limit: 0, windowSeconds: 60 }, orderPay: { limit: 0, windowSeconds: 60 } };

/** the bench's "result page" waits server-side like the real client (client/src/lib/confirm.ts), at most this long per request */
const WAIT_SECONDS = 20;

/** BENCH_PROFILE_DIR=dir: a CPU profile of the BFF over the closed loop alone (bff/src/obs/cpu-profile.ts) */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ? path.resolve(process.env.BENCH_PROFILE_DIR) : undefined;

function profileTimedPhase(pid: number | undefined): { stop(): Promise<void> } {
  if (!PROFILE_DIR || !pid) return { stop: async () => undefined };
  process.kill(pid, 'SIGUSR2');
  return {
    async stop() {
      const before = fs.existsSync(PROFILE_DIR) ? fs.readdirSync(PROFILE_DIR).length : 0;
      process.kill(pid, 'SIGUSR2');
      for (let i = 0; i < 100 && (fs.existsSync(PROFILE_DIR) ? fs.readdirSync(PROFILE_DIR).length : 0) === before; i++) await new Promise((r) => setTimeout(r, 100));
      process.stderr.write(`[bench] BFF CPU profile of the closed loop in ${PROFILE_DIR}\n`);
    },
  };
}

export async function benchFlows(opts: { concurrency?: number; seconds?: number; openSeconds?: number; helloSeconds?: number } = {}): Promise<object> {
  const concurrency = opts.concurrency ?? 100;
  const seconds = opts.seconds ?? 20;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-bench-'));
  const stack: Stack = await startStack({ dir, sandboxConfig: BENCH_SANDBOX, bffConfig: { validateResponses: false, rateLimits: BENCH_RATE_LIMITS }, bffEnv: { LOG_LEVEL: 'warn', ...(process.env.BFF_NODE_ARGS ? { MIP_NODE_ARGS: process.env.BFF_NODE_ARGS } : {}), ...(PROFILE_DIR ? { MIP_CPU_PROFILE_DIR: PROFILE_DIR } : {}) } });
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
    const bffPid = stack.bffs[0].pid;
    // what the BFF spends with no request at all (queue worker, timers): a floor under every per-flow figure at a low rate
    const idleBefore = procCpu(bffPid);
    await new Promise((r) => setTimeout(r, 5000));
    const bffIdleCpuMsPerSecond = cpuMsPer(idleBefore, procCpu(bffPid), 5).total;
    const countersBefore = await readBffCounters(stack.urls.bff);
    const bffCpuBefore = procCpu(bffPid);
    const redis = new Redis(stack.redis.url);
    await redis.config('RESETSTAT');
    const delayedBefore = await delayedCount(stack.redis.url);
    const monitor = await monitorRedis(stack.redis.url);
    const profiling = profileTimedPhase(bffPid);
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
    const bffCpuPerFlow = cpuMsPer(bffCpuBefore, procCpu(bffPid), done);
    await profiling.stop();
    await monitor.stop();
    const redisCommands = commandsPerFlow(await redis.info('commandstats'), done);
    const delayedJobsLeft = Math.round((((await delayedCount(stack.redis.url)) - delayedBefore) / Math.max(1, done)) * 100) / 100;
    const counts = countersPerFlow(countersBefore, await readBffCounters(stack.urls.bff), done);
    const closedLatency = bffAddedLatency(samples);
    const closedFlowMs = { p50: percentile(flowMs, 50), p99: percentile(flowMs, 99) };
    const flowsPerSecond = Math.round((done / elapsed) * 10) / 10;

    // Open loop at half the capacity just measured: flows arrive at a fixed rate, each on a patient with no flow running.
    samples.length = 0;
    flowMs.length = 0;
    const busy = new Set<string>();
    let cursor = 0;
    const openCpuBefore = procCpu(bffPid);
    const openStarted = Date.now();
    const open = await openLoop(flowsPerSecond / 2, opts.openSeconds ?? 20, () => {
      for (let k = 0; k < patients.length; k++) {
        const p = patients[cursor++ % patients.length];
        if (busy.has(p.key)) continue;
        const slotId = slots[next++];
        if (!slotId) return false;
        busy.add(p.key);
        return flow(p, slotId).finally(() => busy.delete(p.key));
      }
      return false;
    });
    const openCpuPerFlow = cpuMsPer(openCpuBefore, procCpu(bffPid), open.completed);
    const openIdleMsPerFlow = (bffIdleCpuMsPerSecond * (Date.now() - openStarted)) / 1000 / Math.max(1, open.completed);
    const openLatency = bffAddedLatency(samples);

    const national = (await (await fetch(`${stack.urls.national}/sandbox/orders`)).json()) as { orders: { ordStas: string }[] };
    redis.disconnect();
    const bareKoa = await bareKoaCost(dir, concurrency, opts.helloSeconds ?? 5);
    return {
      concurrency,
      seconds: elapsed,
      flowsCompleted: done,
      flowsFailed: failed,
      errors,
      flowsPerSecond,
      flowLatencyMs: closedFlowMs,
      /** at saturation (closed loop): read the open loop's figure for what a patient sees */
      bffAddedLatencyMs: closedLatency,
      centreOrdersSettled: national.orders.filter((o) => o.ordStas === '6').length,
      /** the machine is shared: a high load average makes every CPU figure larger */
      loadAvg: os.loadavg().map((x) => Math.round(x * 10) / 10),
      bffIdleCpuMsPerSecond,
      /** CPU seconds each process used during the timed phase (2 cores = 2 s per second) */
      cpuSeconds: cpu,
      perFlow: {
        /** the BFF's CPU per completed flow (user + system; system is mostly the kernel's loopback TCP) */
        bffCpuMs: bffCpuPerFlow,
        /** the same less what the BFF spends idle over the same time: at a low rate (a busy machine) the idle part weighs */
        bffCpuMsNetOfIdle: Math.round((bffCpuPerFlow.total - (bffIdleCpuMsPerSecond * elapsed) / Math.max(1, done)) * 100) / 100,
        /** the same CPU as a number of requests a bare Koa hello server answers with it */
        bareKoaRequests: Math.round(bffCpuPerFlow.total / bareKoa.cpuMsPerRequest),
        /** Redis commands by command (INFO commandstats over the timed phase: a script's own commands count each) */
        redisCommands,
        /** commands the BFF sent (round trips; a script call counts once), from its own counter */
        redisCommandsSent: counts.redisCommandsSent,
        /** delayed jobs (retries, polls, expiries) left scheduled per flow at the end: each costs a few commands when it fires */
        delayedJobsLeft,
        /** calls the BFF made to each peer, by operation (its peer HTTP client's counter) */
        peerCalls: counts.peerCalls,
        /** requests the BFF answered, by method and route: patient API and peers' callbacks */
        inboundRequests: counts.inboundRequests,
      },
      /** kept for comparison with earlier results: the same figure as perFlow.redisCommands */
      redisCommandsPerFlow: redisCommands,
      bareKoa,
      openLoop: { ...open, bffCpuMsPerFlow: openCpuPerFlow, bffCpuMsPerFlowNetOfIdle: Math.round((openCpuPerFlow.total - openIdleMsPerFlow) * 100) / 100, flowLatencyMs: { p50: percentile(flowMs, 50), p99: percentile(flowMs, 99) }, bffAddedLatencyMs: openLatency },
    };
  } finally {
    await stack.stop();
    if (process.env.KEEP_STACK) process.stderr.write(`stack kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** jobs waiting in the shards' delayed sets */
async function delayedCount(url: string): Promise<number> {
  const r = new Redis(url);
  try {
    const keys = await r.keys('*:delayed');
    const n = await Promise.all(keys.map((k) => r.zcard(k)));
    return n.reduce((a, b) => a + b, 0);
  } finally {
    r.disconnect();
  }
}

/** BENCH_REDIS_MONITOR=file: every Redis command of the closed loop, one a line (MONITOR), to see which step issues what */
async function monitorRedis(url: string): Promise<{ stop(): Promise<void> }> {
  const file = process.env.BENCH_REDIS_MONITOR;
  if (!file) return { stop: async () => undefined };
  const out = fs.createWriteStream(file);
  const client = new Redis(url);
  const m = await client.monitor();
  let open = true;
  // replies already read arrive after disconnect(): written only while the file is open
  m.on('monitor', (time: string, args: string[]) => open && out.write(`${time} ${args.map((a) => (a.length > 60 ? a.slice(0, 60) + '…' : a)).join(' ')}\n`));
  return { stop: async () => { open = false; m.disconnect(); client.disconnect(); await new Promise((r) => out.end(r)); } };
}

/** utime + stime of a process in seconds, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  const c = procCpu(pid);
  return c.user + c.sys;
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
  benchFlows({ concurrency: arg('concurrency', 100), seconds: arg('seconds', 20), openSeconds: arg('open-seconds', 20), helloSeconds: arg('hello-seconds', 5) })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
