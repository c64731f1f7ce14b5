/**
 * What the flow and load benches share: an HTTP client for the BFF's patient API that times every
 * request (wall clock, and the BFF's own Server-Timing app/peer split), a JSON POST for the
 * sandboxes' dev endpoints, percentiles, and the pool of bookable registration places.
 */
import { buildPath, patientApi as api, type Endpoint } from '@mip/shared';

export interface Timed {
  what: string;
  /** wall-clock time of the exchange, as the caller saw it */
  ms: number;
  ok: boolean;
  /** from Server-Timing: the BFF's time on the request, and the part it waited on peers */
  appMs?: number;
  peerMs?: number;
}

export class BenchClient {
  token = '';
  constructor(
    readonly base: string,
    public log: Timed[],
  ) {}

  call<T = Record<string, unknown>>(e: Endpoint, opts: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
    return this.raw<T>(e.id, e.method, buildPath(e.path, opts.params), opts.body, opts.headers);
  }

  async raw<T>(what: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const t0 = performance.now();
    const entry: Timed = { what, ms: 0, ok: false };
    try {
      const res = await fetch(this.base + p, {
        method,
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
      const timing = res.headers.get('server-timing') ?? '';
      const app = /app;dur=([\d.]+)/.exec(timing);
      if (app) {
        entry.appMs = Number(app[1]);
        entry.peerMs = Number(/peer;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
      }
      const parsed = (await res.json()) as T & { error?: { code: string } };
      if (res.status >= 300) throw new Error(`${what} ${res.status} ${parsed.error?.code ?? ''}`);
      entry.ok = true;
      return parsed;
    } finally {
      entry.ms = performance.now() - t0;
      this.log.push(entry);
    }
  }
}

/** POST JSON to a sandbox dev endpoint; the caller names the answer's shape. */
export async function post<T = Record<string, unknown>>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 100) / 100;
}

/** Every bookable registration place of available doctors, repeated by what is left of it, shuffled. */
export async function slotPool(c: BenchClient): Promise<string[]> {
  const pool: string[] = [];
  const { departments } = await c.call<{ departments: { code: string }[] }>(api.departments);
  for (const d of departments) {
    const { doctors } = await c.call<{ doctors: { code: string; available: boolean }[] }>(api.doctors, { params: { deptCode: d.code } });
    for (const doc of doctors.filter((x) => x.available)) {
      const { slots } = await c.call<{ slots: { slotId: string; remaining: number }[] }>(api.slots, { params: { doctorCode: doc.code } });
      for (const s of slots) for (let i = 0; i < s.remaining; i++) pool.push(s.slotId);
    }
  }
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool;
}
