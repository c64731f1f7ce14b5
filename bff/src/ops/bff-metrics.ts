import type { EventEmitter } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Context, Next } from 'koa';
import { ORDER_STATES } from '@mip/shared';
import { peerEvents, type PeerCallEvent } from '../peers/http-client';
import type { Logger } from '../obs/log';
import type { OrderStore } from '../store/order-store';
import type { JobQueue } from '../store/queue';
import { Registry } from './metrics';

/** The route pattern a request matched; unmatched paths share one label so scanners cannot blow up the series count. */
export function routeLabel(ctx: Context): string {
  const r = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof r === 'string' ? r : 'unmatched';
}

/** Rejects after `ms`: a scrape must answer even while Redis is away (ioredis would queue the command). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  p.catch(() => undefined); // the late rejection of a timed-out command is expected, not unhandled
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface BffMetrics {
  registry: Registry;
  /** records every HTTP request (for `extras.middleware`) */
  http: (ctx: Context, next: Next) => Promise<void>;
  close(): void;
}

export interface BffMetricsDeps {
  orders: Pick<OrderStore, 'countByState'>;
  queue: Pick<JobQueue, 'depth'>;
  log: Pick<Logger, 'warn'>;
}

/**
 * The BFF's metrics. Request and peer-call series are per process; orders by state and queue
 * depth are read from Redis at scrape time and are the same on every instance (aggregate
 * them with max(), not sum()).
 */
export function createBffMetrics(deps: BffMetricsDeps, opts: { events?: EventEmitter; collectTimeoutMs?: number } = {}): BffMetrics {
  const reg = new Registry();
  const requests = reg.counter('mip_http_requests_total', 'HTTP requests by method, route pattern and status');
  const duration = reg.histogram('mip_http_request_duration_seconds', 'HTTP request duration by method and route pattern');
  const peerCalls = reg.counter('mip_peer_calls_total', 'Calls to peers (HIS, centre, WeChat, Alipay) by outcome');
  const peerErrors = reg.counter('mip_peer_call_errors_total', 'Failed peer calls by failure kind');
  const peerDuration = reg.histogram('mip_peer_call_duration_seconds', 'Peer call duration', [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]);
  const orders = reg.gauge('mip_orders', 'Orders by state (whole deployment, from Redis)');
  const queue = reg.gauge('mip_queue_jobs', 'Durable queue jobs by state: ready, pending (taken, not finished), delayed, dead');
  const scrapeErrors = reg.gauge('mip_scrape_error', '1 when a collector could not read its source during this scrape');
  const cpu = reg.counter('process_cpu_seconds_total', 'CPU time of the process');
  const cpuUser = reg.counter('process_cpu_user_seconds_total', 'User CPU time of the process');
  const cpuSystem = reg.counter('process_cpu_system_seconds_total', 'System CPU time of the process');
  const rss = reg.gauge('process_resident_memory_bytes', 'Resident memory');
  const heap = reg.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use');
  const heapTotal = reg.gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated');
  const start = reg.gauge('process_start_time_seconds', 'Start time of the process, seconds since the epoch');
  const lag = reg.gauge('nodejs_eventloop_lag_p99_seconds', 'Event loop delay, 99th percentile since the last scrape');
  const handles = reg.gauge('nodejs_active_resources', 'Active libuv resources (sockets, timers…)');
  const timeoutMs = opts.collectTimeoutMs ?? 2000;

  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  start.set({}, Math.round((Date.now() - process.uptime() * 1000) / 1000));

  const onCall = (e: PeerCallEvent) => {
    const outcome = e.failure ?? 'ok';
    peerCalls.inc({ peer: e.peer, op: e.op, outcome });
    if (e.failure) peerErrors.inc({ peer: e.peer, op: e.op, failure: e.failure });
    peerDuration.observe({ peer: e.peer, op: e.op }, e.ms / 1000);
  };
  const events = opts.events ?? peerEvents;
  events.on('call', onCall);

  reg.onCollect(async () => {
    try {
      const counts = await withTimeout(deps.orders.countByState(), timeoutMs, 'orders by state');
      for (const s of ORDER_STATES) orders.set({ state: s }, counts[s] ?? 0);
      scrapeErrors.set({ collector: 'orders' }, 0);
    } catch (err) {
      scrapeErrors.set({ collector: 'orders' }, 1);
      deps.log.warn({ err: (err as Error).message }, 'metrics: orders by state unavailable');
    }
  });
  reg.onCollect(async () => {
    try {
      const d = await withTimeout(deps.queue.depth(), timeoutMs, 'queue depth');
      for (const [k, v] of Object.entries(d)) queue.set({ state: k }, v);
      scrapeErrors.set({ collector: 'queue' }, 0);
    } catch (err) {
      scrapeErrors.set({ collector: 'queue' }, 1);
      deps.log.warn({ err: (err as Error).message }, 'metrics: queue depth unavailable');
    }
  });
  reg.onCollect(() => {
    const u = process.cpuUsage();
    cpuUser.setTotal({}, u.user / 1e6);
    cpuSystem.setTotal({}, u.system / 1e6);
    cpu.setTotal({}, (u.user + u.system) / 1e6);
    const m = process.memoryUsage();
    rss.set({}, m.rss);
    heap.set({}, m.heapUsed);
    heapTotal.set({}, m.heapTotal);
    lag.set({}, loop.percentile(99) / 1e9);
    loop.reset();
    handles.set({}, process.getActiveResourcesInfo().length);
  });

  const http = async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    let recorded = false;
    // Counted when the answer has gone out, so the status is the one errorsMiddleware chose.
    const record = () => {
      if (recorded) return;
      recorded = true;
      const route = routeLabel(ctx);
      requests.inc({ method: ctx.method, route, status: String(ctx.status) });
      duration.observe({ method: ctx.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    ctx.res.once('finish', record);
    ctx.res.once('close', record);
    await next();
  };

  return {
    registry: reg,
    http,
    close() {
      events.off('call', onCall);
      loop.disable();
    },
  };
}
