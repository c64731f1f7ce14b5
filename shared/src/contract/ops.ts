import { z } from 'zod';
import { endpointGroup } from './define';

const opsEndpoint = endpointGroup('ops', 'none');

/**
 * Operations endpoints: liveness, readiness, Prometheus metrics and the published API document.
 * /health details and /metrics are given only to loopback callers (without a proxy header) or
 * to callers presenting the ops token in X-Ops-Token; everyone else sees the overall status.
 */

export const OPS_TOKEN_HEADER = 'X-Ops-Token';

export const healthz = opsEndpoint.get('ops.healthz', '/healthz', {
  summary: 'Liveness: the process answers (no Redis or peer call)',
  response: z.object({ ok: z.literal(true) }),
});

const Check = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });

export const HealthReport = z.object({
  status: z.enum(['ok', 'degraded', 'down']).describe('down (503) when Redis is unreachable; degraded when only a peer is'),
  checkedAt: z.string(),
  /** only for loopback callers or with the ops token */
  redis: Check.optional(),
  peers: z.array(Check.extend({ name: z.string(), target: z.string().describe('host:port probed') })).optional(),
});

export const health = opsEndpoint.get('ops.health', '/health', {
  summary: 'Readiness: Redis PING with latency and a TCP reachability probe of each peer (HIS, centre, WeChat, Alipay)',
  response: HealthReport,
  statuses: { 503: 'Not ready: Redis is unreachable (status "down")' },
});

export const metrics = opsEndpoint.get('ops.metrics', '/metrics', {
  summary: 'Prometheus text format: HTTP, peer calls, orders by state, queue depth, process (loopback or ops token only)',
  response: z.string(),
  produces: 'text/plain; version=0.0.4; charset=utf-8',
});

export const openapi = opsEndpoint.get('ops.openapi', '/openapi.json', {
  summary: 'This API as an OpenAPI 3.1 document, generated from the shared contract',
  response: z.record(z.string(), z.unknown()),
});

export const opsApi = { healthz, health, metrics, openapi } as const;
