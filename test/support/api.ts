import { buildPath, type Endpoint } from '@mip/shared';
import type { z } from 'zod';

export interface ApiResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type ErrorBody = { error: { code: string; message: string; requestId?: string } };

/** A typed HTTP client of the BFF API for tests: real HTTP, the contract's paths and types. */
export class Api {
  constructor(readonly base: string, public token?: string) {}

  async call<E extends Endpoint>(
    e: E,
    input: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResult<z.output<E['response']> & Partial<ErrorBody>>> {
    const headers: Record<string, string> = { ...(input.headers ?? {}) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (e.method !== 'GET') headers['content-type'] = 'application/json';
    const q = input.query ? `?${new URLSearchParams(input.query).toString()}` : '';
    const res = await fetch(this.base + buildPath(e.path, input.params) + q, {
      method: e.method,
      headers,
      body: e.method === 'GET' ? undefined : JSON.stringify(input.body ?? {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }

  /** Like call, but fails the test with the error body when the status is not 2xx. */
  async ok<E extends Endpoint>(e: E, input: Parameters<Api['call']>[1] = {}): Promise<z.output<E['response']>> {
    const r = await this.call(e, input);
    if (r.status >= 300) throw new Error(`${e.id} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

// Sandbox dev endpoints answer many unrelated JSON shapes, read field by field in the tests: `any`
// here, rather than a cast at each of hundreds of call sites (the patient/staff API has its own typed client).
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: jsonOrText(await res.text()) };
}

/** A body as JSON when it is JSON ({} when empty), else the text itself. */
export function jsonOrText(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return text;
  }
}

/** any: see postJson */
export async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.json();
}
