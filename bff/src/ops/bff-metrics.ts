import type { EventEmitter } from 'node:events';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ORDER_STATES } from '@mip/shared';
import { peerEvents, type PeerCallEvent } from '../peers/http-client';
import type { Logger } from '../obs/log';
import type { OrderStore } from '../store/order-store';
import { commandsSent } from '../store/redis';
import type { JobQueue } from '../store/queue';

/** Rejects after `ms`: a scrape must answer even while Redis is away (ioredis would queue the command). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  p.catch(() => undefined); // the late rejection of a timed-out command is expected, not unhandled
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** What GET /metrics renders: the Prometheus text format. */
export interface MetricsSource {
  render(): Promise<string>;
}

export interface BffMetrics {
  registry: MetricsSource;
  /**
   * Starts timing one HTTP request; call the answer once, when the answer has gone out, with the
   * route pattern it matched (http/metrics-middleware.ts does, for every request).
   */
  startRequest(method: string): (route: string, status: number) => void;
  close(): void;
}

export interface BffMetricsDeps {
  orders: Pick<OrderStore, 'countByState'>;
  queue: Pick<JobQueue, 'depth'>;
  log: Pick<Logger, 'warn'>;
}

/**
 * The BFF's metrics through prom-client, with its default process metrics (CPU, memory, heap,
 * event-loop lag, start time, handles). Request and peer-call series are per process; orders by
 * state and queue depth are read from Redis at scrape time and are the same on every instance
 * (aggregate them with max(), not sum()).
 */
export function createBffMetrics(deps: BffMetricsDeps, opts: { events?: EventEmitter; collectTimeoutMs?: number } = {}): BffMetrics {
  const reg = new Registry();
  const registers = [reg];
  // The event-loop lag histogram samples with a libuv timer: every 10 ms by default, ~3 ms of CPU a
  // second on an idle process here; every 50 ms costs ~1 ms and still sees any stall worth an alert.
  collectDefaultMetrics({ register: reg, eventLoopMonitoringPrecision: 50 });
  const requests = new Counter({ name: 'mip_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers });
  const duration = new Histogram({ name: 'mip_http_request_duration_seconds', help: 'HTTP request duration by method and route pattern', labelNames: ['method', 'route'], registers });
  const peerCalls = new Counter({ name: 'mip_peer_calls_total', help: 'Calls to peers (HIS, centre, WeChat, Alipay) by outcome', labelNames: ['peer', 'op', 'outcome'], registers });
  const peerErrors = new Counter({ name: 'mip_peer_call_errors_total', help: 'Failed peer calls by failure kind', labelNames: ['peer', 'op', 'failure'], registers });
  const peerDuration = new Histogram({ name: 'mip_peer_call_duration_seconds', help: 'Peer call duration', labelNames: ['peer', 'op'], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers });
  const orders = new Gauge({ name: 'mip_orders', help: 'Orders by state (whole deployment, from Redis)', labelNames: ['state'], registers });
  const queue = new Gauge({ name: 'mip_queue_jobs', help: 'Durable queue jobs by state: ready, pending (taken, not finished), delayed, dead', labelNames: ['state'], registers });
  const scrapeErrors = new Gauge({ name: 'mip_scrape_error', help: '1 when a collector could not read its source during this scrape', labelNames: ['collector'], registers });
  const timeoutMs = opts.collectTimeoutMs ?? 2000;
  // a running total kept by the Redis client (store/redis.ts), read at scrape time
  new Gauge({
    name: 'mip_redis_commands_sent',
    help: 'Commands this process has sent to Redis since it started, by command (a script call counts once)',
    labelNames: ['command'],
    registers,
    collect() {
      for (const [command, n] of commandsSent) this.set({ command }, n);
    },
  });

  const onCall = (e: PeerCallEvent) => {
    const outcome = e.failure ?? 'ok';
    peerCalls.inc({ peer: e.peer, op: e.op, outcome });
    if (e.failure) peerErrors.inc({ peer: e.peer, op: e.op, failure: e.failure });
    peerDuration.observe({ peer: e.peer, op: e.op }, e.ms / 1000);
  };
  const events = opts.events ?? peerEvents;
  events.on('call', onCall);

  /** The Redis-backed gauges, read before each scrape; a source that does not answer in time is reported, not waited for. */
  const collectors: Record<string, () => Promise<void>> = {
    orders: async () => {
      const counts = await withTimeout(deps.orders.countByState(), timeoutMs, 'orders by state');
      for (const s of ORDER_STATES) orders.set({ state: s }, counts[s] ?? 0);
    },
    queue: async () => {
      const d = await withTimeout(deps.queue.depth(), timeoutMs, 'queue depth');
      for (const [k, v] of Object.entries(d)) queue.set({ state: k }, v);
    },
  };
  const collect = () =>
    Promise.all(
      Object.entries(collectors).map(async ([name, run]) => {
        try {
          await run();
          scrapeErrors.set({ collector: name }, 0);
        } catch (err) {
          scrapeErrors.set({ collector: name }, 1);
          deps.log.warn({ err: (err as Error).message }, `metrics: ${name === 'orders' ? 'orders by state' : 'queue depth'} unavailable`);
        }
      }),
    );

  const startRequest = (method: string) => {
    const end = duration.startTimer({ method });
    return (route: string, status: number) => {
      requests.inc({ method, route, status: String(status) });
      end({ route });
    };
  };

  return {
    registry: { render: async () => (await collect(), reg.metrics()) },
    startRequest,
    close() {
      events.off('call', onCall);
      reg.clear();
    },
  };
}
