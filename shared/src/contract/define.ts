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
>(
  e: Omit<Endpoint<P, Q, B, R, A>, 'params' | 'query' | 'body'> & { params?: P; query?: Q; body?: B },
): Endpoint<P, Q, B, R, A> {
  return {
    ...e,
    params: (e.params ?? empty) as P,
    query: (e.query ?? empty) as Q,
    body: (e.body ?? empty) as B,
  };
}

/** What one endpoint says beyond its group, method and path. */
export type EndpointSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> = Omit<
  Endpoint<P, Q, B, R>,
  'id' | 'tag' | 'method' | 'path' | 'auth' | 'params' | 'query' | 'body'
> & { params?: P; query?: Q; body?: B };

/**
 * The endpoints of one tag and one kind of caller, by method: `patientEndpoint.get(id, path, spec)`
 * is `endpoint({ id, tag: 'patient', method: 'GET', path, auth: 'patient', ...spec })`.
 */
export function endpointGroup<A extends Auth>(tag: string, auth: A) {
  const at =
    (method: Method) =>
    <P extends z.ZodType = Empty, Q extends z.ZodType = Empty, B extends z.ZodType = Empty, R extends z.ZodType = z.ZodType>(
      id: string,
      path: string,
      spec: EndpointSpec<P, Q, B, R>,
    ): Endpoint<P, Q, B, R, A> =>
      endpoint<P, Q, B, R, A>({ id, tag, method, path, auth, ...spec });
  return { get: at('GET'), post: at('POST'), put: at('PUT'), del: at('DELETE') };
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
