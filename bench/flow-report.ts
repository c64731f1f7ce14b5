/**
 * What the flow bench reports besides throughput, each as a small function so that the flow
 * itself (bench/flows.ts) stays a plain script of patient steps:
 *   - CPU of a process from /proc (user and system apart: on loopback the kernel's TCP work of
 *     every exchange is charged to the sender's system time);
 *   - the BFF's own counters from its GET /metrics (prom-client): peer calls by peer and
 *     operation (counted by the one peer HTTP client, bff/src/peers/http-client.ts) and inbound
 *     requests by method and route pattern (patient API and the peers' callbacks alike);
 *   - Redis commands by command (INFO commandstats);
 *   - the CPU per request of a bare Koa "hello" server driven by the same client;
 *   - an open-loop driver: flows started at a fixed arrival rate, whatever the answers' pace;
 *   - BFF-added latency from the Server-Timing header (app minus peer time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../scripts/stack/ports';
import { service } from '../scripts/stack/service';
import { percentile, type Timed } from './client';
import { HELLO_ENTRY, measureHello } from './hello';

export interface Cpu {
  user: number;
  sys: number;
}

/** utime and stime of a process in seconds, from /proc (Linux); zeros when it is gone. */
export function procCpu(pid: number | undefined): Cpu {
  if (!pid) return { user: 0, sys: 0 };
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const tick = 100; // CLK_TCK on Linux
    return { user: Number(f[11]) / tick, sys: Number(f[12]) / tick };
  } catch {
    return { user: 0, sys: 0 };
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** CPU milliseconds per unit (flow, request) between two readings */
export function cpuMsPer(before: Cpu, after: Cpu, units: number): { total: number; user: number; sys: number } {
  const n = Math.max(1, units);
  const user = ((after.user - before.user) * 1000) / n;
  const sys = ((after.sys - before.sys) * 1000) / n;
  return { total: r2(user + sys), user: r2(user), sys: r2(sys) };
}

/** Redis commands per completed flow, by command (INFO commandstats over the timed phase) */
export function commandsPerFlow(info: string, flows: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    if (['config', 'info', 'config|resetstat'].includes(m[1])) continue;
    total += Number(m[2]);
    out[m[1]] = r1(Number(m[2]) / Math.max(1, flows));
  }
  return { total: r1(total / Math.max(1, flows)), ...Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1])) };
}

/** Counter samples of the BFF's metrics, keyed by their label set */
export interface BffCounters {
  peerCalls: Map<string, number>;
  inbound: Map<string, number>;
  /** commands the BFF sent to Redis, by command (a script call once) */
  redisSent: Map<string, number>;
}

function labels(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
}

/** Parses the two counters the bench reads out of the Prometheus text format. */
export function parseCounters(text: string): BffCounters {
  const out: BffCounters = { peerCalls: new Map(), inbound: new Map(), redisSent: new Map() };
  for (const m of text.matchAll(/^mip_redis_commands_sent\{command="([^"]*)"\} ([\d.e+]+)$/gm)) out.redisSent.set(m[1], Number(m[2]));
  for (const m of text.matchAll(/^(mip_peer_calls_total|mip_http_requests_total)\{([^}]*)\} ([\d.e+]+)$/gm)) {
    const l = labels(m[2]);
    if (m[1] === 'mip_peer_calls_total') out.peerCalls.set(`${l.peer}\t${l.op}`, (out.peerCalls.get(`${l.peer}\t${l.op}`) ?? 0) + Number(m[3]));
    else if (l.route !== '/metrics') out.inbound.set(`${l.method} ${l.route}`, (out.inbound.get(`${l.method} ${l.route}`) ?? 0) + Number(m[3]));
  }
  return out;
}

/** GET /metrics of one BFF instance (loopback callers may read it). */
export async function readBffCounters(bffUrl: string): Promise<BffCounters> {
  const res = await fetch(`${bffUrl}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return parseCounters(await res.text());
}

/**
 * Per completed flow, between two readings: peer calls as { peer: { op: n, total } } and inbound
 * requests as { "METHOD /route/:pattern": n, total }.
 */
export function countersPerFlow(
  before: BffCounters,
  after: BffCounters,
  flows: number,
): { peerCalls: Record<string, Record<string, number>>; inboundRequests: Record<string, number>; redisCommandsSent: Record<string, number> } {
  const n = Math.max(1, flows);
  const peerCalls: Record<string, Record<string, number>> = {};
  let peerTotal = 0;
  for (const [k, v] of after.peerCalls) {
    const d = v - (before.peerCalls.get(k) ?? 0);
    if (d <= 0) continue;
    const [peer, op] = k.split('\t');
    peerCalls[peer] ??= { total: 0 };
    peerCalls[peer][op] = r2(d / n);
    peerCalls[peer].total = r2(peerCalls[peer].total + d / n);
    peerTotal += d;
  }
  return {
    redisCommandsSent: perFlowByKey(before.redisSent, after.redisSent, n),
    peerCalls: { total: { all: r2(peerTotal / n) }, ...peerCalls },
    inboundRequests: perFlowByKey(before.inbound, after.inbound, n),
  };
}

/** The growth of each counter between two readings, per flow, largest first, with their total. */
function perFlowByKey(before: Map<string, number>, after: Map<string, number>, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d <= 0) continue;
    out[k] = r2(d / n);
    total += d;
  }
  return { total: r2(total / n), ...Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1])) };
}

/**
 * A bare Koa "hello" server in its own process, driven by the bench's client at the same
 * concurrency for `seconds`: its CPU per request is the unit the BFF's CPU per flow is stated in.
 */
export async function bareKoaCost(logDir: string, concurrency: number, seconds: number): Promise<{ requests: number; perSecond: number; cpuMsPerRequest: number; p50: number; p99: number }> {
  const hello = service({ name: 'hello-koa', entry: HELLO_ENTRY, port: await freePort(), env: {}, logDir: path.join(logDir, 'logs') });
  await hello.start();
  try {
    // a short warm-up, so the JIT's first compilations are not counted
    await measureHello(hello.url, concurrency, 1);
    const before = procCpu(hello.pid);
    const m = await measureHello(hello.url, concurrency, seconds);
    const after = procCpu(hello.pid);
    const cpuMs = ((after.user + after.sys - before.user - before.sys) * 1000) / Math.max(1, m.requests);
    return { requests: m.requests, perSecond: m.perSecond, cpuMsPerRequest: Math.round(cpuMs * 1000) / 1000, p50: m.p50, p99: m.p99 };
  } finally {
    await hello.stop();
  }
}

/**
 * Open loop: a flow starts every 1/rate seconds for `seconds`, whether or not earlier ones have
 * finished (unlike the closed loop, where a worker waits for its flow). `start` returns false
 * when it cannot start one (no free patient): counted as skipped, not queued.
 */
export async function openLoop(rate: number, seconds: number, start: () => Promise<void> | false): Promise<{ ratePerSecond: number; arrivals: number; skipped: number; completed: number; failed: number; errors: Record<string, number> }> {
  const running: Promise<void>[] = [];
  const errors: Record<string, number> = {};
  let arrivals = 0;
  let skipped = 0;
  let completed = 0;
  let failed = 0;
  const t0 = performance.now();
  const total = Math.floor(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const p = start();
    if (p === false) {
      skipped++;
      continue;
    }
    arrivals++;
    running.push(
      p.then(
        () => void completed++,
        (err: Error) => {
          failed++;
          const k = err.message.slice(0, 80);
          errors[k] = (errors[k] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(running);
  return { ratePerSecond: r2(rate), arrivals, skipped, completed, failed, errors };
}

/** BFF-added latency (Server-Timing app minus peer) over the samples, overall and by endpoint */
export function bffAddedLatency(samples: Timed[]): { requests: number; p50: number; p99: number; byEndpoint: Record<string, { n: number; p50: number; p99: number }> } {
  const timed = samples.filter((s) => s.appMs !== undefined);
  const bffAdded = (s: Timed) => Math.max(0, s.appMs! - (s.peerMs ?? 0));
  const added = timed.map(bffAdded);
  const byEndpoint: Record<string, { n: number; p50: number; p99: number }> = {};
  for (const id of [...new Set(timed.map((s) => s.what))]) {
    const xs = timed.filter((s) => s.what === id).map(bffAdded);
    byEndpoint[id] = { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) };
  }
  return { requests: added.length, p50: percentile(added, 50), p99: percentile(added, 99), byEndpoint };
}
