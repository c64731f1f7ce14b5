import type { z } from 'zod';
import type { HisConfig } from '../config/his';
import { PeerError, peerRequest, type PeerResponse } from '../peers/http-client';
import { signRequest } from '../security/hmac-request';
import { HisUnclearError } from './port';
import { Envelope, isBusinessCode, isParamCode } from './wire';

/**
 * One HIS call over HTTP: signs it, sends it through the peer boundary, and sorts the answer into
 * exactly three kinds: the documented success, a documented refusal, or "unclear" (thrown).
 *
 * Retries: a read is retried on any failure; a mutating call only when the request provably
 * never reached HIS (not_delivered). A timeout, a dropped connection, a 5xx or an answer that is
 * not the documented shape on a mutating call is never retried here: HIS may have acted, and only
 * trade-check can tell.
 */
export type HisAnswer<T> = { kind: 'ok'; data: T } | { kind: 'refused'; band: 'param' | 'business'; code: string; message: string };

export interface HisCall<S extends z.ZodType> {
  op: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** present on every mutating call: the order number (or refund number) HIS keys on */
  idempotencyKey?: string;
  data: S;
}

type Attempt<T> = HisAnswer<T> | { kind: 'unclear'; reason: string; cause?: unknown; retryable: boolean; notDelivered: boolean };

export class HisTransport {
  constructor(private readonly config: HisConfig) {}

  /** A call with no effect in HIS (lists, status, trade-check): safe to repeat. */
  read<S extends z.ZodType>(call: HisCall<S>): Promise<HisAnswer<z.output<S>>> {
    return this.run(call, (a) => a.retryable);
  }

  /** A call that changes HIS (locks, bookings): repeated only when it never got there. */
  write<S extends z.ZodType>(call: HisCall<S> & { idempotencyKey: string }): Promise<HisAnswer<z.output<S>>> {
    return this.run(call, (a) => a.notDelivered);
  }

  private async run<S extends z.ZodType>(
    call: HisCall<S>,
    mayRetry: (a: Extract<Attempt<unknown>, { kind: 'unclear' }>) => boolean,
  ): Promise<HisAnswer<z.output<S>>> {
    const { attempts, delayMs } = this.config.retry;
    for (let n = 1; ; n++) {
      const a = await this.attempt(call);
      if (a.kind !== 'unclear') return a;
      if (n >= attempts || !mayRetry(a)) throw new HisUnclearError(call.op, a.reason, a.cause);
      await new Promise((r) => setTimeout(r, delayMs * 2 ** (n - 1)));
    }
  }

  private async attempt<S extends z.ZodType>(call: HisCall<S>): Promise<Attempt<z.output<S>>> {
    const url = new URL(call.path.replace(/^\//, ''), this.config.baseUrl.endsWith('/') ? this.config.baseUrl : `${this.config.baseUrl}/`);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    const body = call.method === 'POST' ? JSON.stringify(call.body ?? {}) : '';
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...signRequest(this.config.clientId, this.config.clientSecret, call.method, url.pathname + url.search, body),
    };
    if (call.method === 'POST') headers['content-type'] = 'application/json; charset=utf-8';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;

    let res: PeerResponse;
    try {
      res = await peerRequest({
        peer: 'his',
        op: call.op,
        url: url.toString(),
        method: call.method,
        headers,
        body: call.method === 'POST' ? body : undefined,
        timeoutMs: this.config.timeoutMs,
        // parameter errors and signature refusals come with a documented body
        acceptStatus: (s) => s === 400 || s === 401,
      });
    } catch (err) {
      const failure = err instanceof PeerError ? err.failure : 'broken';
      const detail = err instanceof PeerError && err.status ? `HTTP ${err.status}` : failure;
      return { kind: 'unclear', reason: `no usable answer (${detail})`, cause: err, retryable: true, notDelivered: failure === 'not_delivered' };
    }
    return interpret(res, call.data);
  }
}

function interpret<S extends z.ZodType>(res: PeerResponse, schema: S): Attempt<z.output<S>> {
  const unclear = (reason: string, retryable = true): Attempt<never> => ({ kind: 'unclear', reason, retryable, notDelivered: false });
  let json: unknown;
  try {
    json = JSON.parse(res.text());
  } catch {
    return unclear(`answer is not JSON (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no content type'})`);
  }
  const env = Envelope.safeParse(json);
  if (!env.success) return unclear(`answer is not the documented {code, message, data} shape (HTTP ${res.status})`);
  const { code, message } = env.data;
  if (res.status === 401) {
    // our credentials or clock are wrong: HIS did nothing, but repeating cannot help either
    return unclear(`HIS refused the request signature (${code} ${message})`, false);
  }
  if (code === '0' && res.status === 200) {
    const data = schema.safeParse(env.data.data);
    if (!data.success) return unclear(`success answer with undocumented data: ${data.error.issues[0]?.path.join('.') ?? ''} ${data.error.issues[0]?.message ?? ''}`);
    return { kind: 'ok', data: data.data };
  }
  if (isParamCode(code)) return { kind: 'refused', band: 'param', code, message };
  if (isBusinessCode(code)) return { kind: 'refused', band: 'business', code, message };
  // 2xx processing, 3xx service state, 4xx / -1 internal errors: nobody knows what happened
  return unclear(`HIS answered ${code} ${message}`);
}
