import { buildPath, type Endpoint } from '@mip/shared';
import type { z } from 'zod';
import { signRequest } from '../../bff/src/security/hmac-request';
import type { TestStack } from './stack';

export interface HisResult<T> {
  status: number;
  headers: Headers;
  text: string;
  /** parsed JSON, or the text when the answer is not JSON (CSV) */
  body: T;
}

export interface CallInput<E extends Endpoint> {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: z.input<E['body']>;
}

/** The hospital's HIS as a client of the BFF: every request HMAC-signed (X-Client-Id, X-Timestamp, X-Nonce, X-Signature). */
export class HisClient {
  constructor(readonly base: string, readonly clientId: string, private readonly secret: string) {}

  /** With the HIS credentials the stack generated; base defaults to the stack's first BFF. */
  static of(stack: TestStack, base = stack.urls.bff): HisClient {
    const c = stack.credentials.his as { hisClientId: string; hisClientSecret: string };
    return new HisClient(base, c.hisClientId, c.hisClientSecret);
  }

  async request(method: string, pathWithQuery: string, body?: unknown): Promise<HisResult<unknown>> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { ...signRequest(this.clientId, this.secret, method, pathWithQuery, raw) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + pathWithQuery, { method, headers, body: body === undefined ? undefined : raw });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text ? JSON.parse(text) : {};
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  async call<E extends Endpoint>(
    e: E,
    input: CallInput<E> = {},
  ): Promise<HisResult<z.output<E['response']>>> {
    const q = new URLSearchParams(Object.entries(input.query ?? {}).filter((kv): kv is [string, string] => kv[1] !== undefined)).toString();
    const path = buildPath(e.path, input.params) + (q ? `?${q}` : '');
    return (await this.request(e.method, path, e.method === 'GET' ? undefined : (input.body ?? {}))) as HisResult<z.output<E['response']>>;
  }

  /** Like call, but fails the test with the answer when the status is not 2xx. */
  async ok<E extends Endpoint>(e: E, input: CallInput<E> = {}): Promise<z.output<E['response']>> {
    const r = await this.call(e, input);
    if (r.status >= 300) throw new Error(`${e.id} → ${r.status} ${r.text.slice(0, 500)}`);
    return r.body;
  }
}
