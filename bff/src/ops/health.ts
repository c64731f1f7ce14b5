import net from 'node:net';
import type { Config } from '../config';
import type { RedisClient } from '../store/redis';
import { withTimeout } from './bff-metrics';

export interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface PeerCheck extends Check {
  name: string;
  target: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checkedAt: string;
  redis: Check;
  peers: PeerCheck[];
}

export interface PeerTarget {
  name: string;
  url: string;
}

/** The base URL of every peer the BFF calls. */
export function peerTargets(c: Pick<Config, 'his' | 'national' | 'channels'>): PeerTarget[] {
  return [
    { name: 'his', url: c.his.baseUrl },
    { name: 'centre', url: c.national.baseUrl },
    { name: 'wechat-api', url: c.channels.wechat.apiBaseUrl },
    { name: 'wechat-pay', url: c.channels.wechat.payBaseUrl },
    { name: 'wechat-mip', url: c.channels.wechat.mipBaseUrl },
    { name: 'alipay', url: c.channels.alipay.gatewayUrl },
  ];
}

export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}

/**
 * "Reachable" means a TCP connection opens: no HTTP request, so no credentials are sent and no
 * peer (a real payment gateway included) sees anything but a connect and a close.
 */
export function probeTcp(url: string, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  const { host, port } = hostPort(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error?: string) => {
      socket.destroy();
      const ms = Math.round(performance.now() - started);
      resolve(error ? { ok: false, ms, error } : { ok: true, ms });
    };
    socket.setTimeout(timeoutMs, () => done(`no connection within ${timeoutMs} ms`));
    socket.once('connect', () => done());
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

async function pingRedis(redis: Pick<RedisClient, 'ping'>, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  try {
    const pong = await withTimeout(redis.ping(), timeoutMs, 'PING');
    const ms = Math.round((performance.now() - started) * 10) / 10;
    return pong === 'PONG' ? { ok: true, ms } : { ok: false, ms, error: `unexpected answer ${pong}` };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

export interface HealthDeps {
  redis: Pick<RedisClient, 'ping'>;
  peers: PeerTarget[];
  timeoutMs?: number;
  /** peer results are reused this long, so a flood of /health calls opens no flood of connections */
  peerCacheMs?: number;
}

/**
 * Readiness. Redis down → 'down' (no order can be read or written: take the instance out of the
 * load balancer). A peer down → 'degraded' but still ready: every instance would see the same
 * peer, and taking them all out would also stop the order queries and refunds that still work.
 */
export function createHealthCheck(deps: HealthDeps): () => Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? 1000;
  const cacheMs = deps.peerCacheMs ?? 5000;
  let cached: { at: number; peers: Promise<PeerCheck[]> } | undefined;

  const probePeers = async (): Promise<PeerCheck[]> => {
    const byTarget = new Map<string, Promise<Check>>();
    return Promise.all(
      deps.peers.map(async (p) => {
        const { host, port } = hostPort(p.url);
        const target = `${host}:${port}`;
        if (!byTarget.has(target)) byTarget.set(target, probeTcp(p.url, timeoutMs));
        return { name: p.name, target, ...(await byTarget.get(target)!) };
      }),
    );
  };

  return async () => {
    if (!cached || Date.now() - cached.at > cacheMs) cached = { at: Date.now(), peers: probePeers() };
    const [redis, peers] = await Promise.all([pingRedis(deps.redis, timeoutMs), cached.peers]);
    const status = !redis.ok ? 'down' : peers.every((p) => p.ok) ? 'ok' : 'degraded';
    return { status, checkedAt: new Date().toISOString(), redis, peers };
  };
}
