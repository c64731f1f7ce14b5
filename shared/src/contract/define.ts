import { z } from 'zod';

/**
 * One endpoint of the BFF API. The same object validates requests in the BFF, types the
 * client's calls and produces the published OpenAPI document, so the three cannot drift.
 */
export type Auth = 'none' | 'patient' | 'his' | 'staff' | 'kiosk';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  A extends Auth = Auth,
> {
  id: string;
  method: Method;
  /** Koa-style path, e.g. /api/orders/:orderNo */
  path: string;
  auth: A;
  summary: string;
  tag: string;
  params: P;
  query: Q;
  body: B;
  response: R;
  /** Header names the endpoint reads (documented; e.g. Idempotency-Key). */
  headers?: Record<string, { required: boolean; description: string }>;
  /** the only media type of the success answer when it is not JSON (e.g. Prometheus text) */
  produces?: string;
  /** a second media type the answer can take besides JSON (e.g. text/csv when format=csv) */
  alsoProduces?: string;
  /** other statuses answered with the success body (readiness: 503 "down") */
  statuses?: Record<number, string>;
}

const empty = z.object({}).strict();
type Empty = typeof empty;

export function endpoint<
  P extends z.ZodType = Empty,
  Q extends z.ZodType = Empty,
  B extends z.ZodType = Empty,
  R extends z.ZodType = z.ZodType,
  A extends Auth = Auth,
>(e: {
  id: string;
  method: Method;
  path: string;
  auth: A;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  headers?: Endpoint['headers'];
  produces?: string;
  alsoProduces?: string;
  statuses?: Record<number, string>;
}): Endpoint<P, Q, B, R, A> {
  return {
    ...e,
    params: (e.params ?? empty) as P,
    query: (e.query ?? empty) as Q,
    body: (e.body ?? empty) as B,
  };
}

export type ParamsOf<E extends Endpoint> = z.input<E['params']>;
export type QueryOf<E extends Endpoint> = z.input<E['query']>;
export type BodyOf<E extends Endpoint> = z.input<E['body']>;
export type ResponseOf<E extends Endpoint> = z.output<E['response']>;

/** Fills :name placeholders; values are URL-encoded. */
export function buildPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(v));
  });
}
