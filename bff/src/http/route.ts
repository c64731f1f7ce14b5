import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Auth, Endpoint } from '@mip/shared';
import { DomainError } from '../domain/errors';
import { readJsonBody } from './body';
import type { Principal, PrincipalOf } from './principal';

type AuthPrincipal<A extends Auth> = A extends 'none' ? Principal : PrincipalOf<Exclude<A, 'none'>>;

export interface HandlerInput<E extends Endpoint> {
  params: z.output<E['params']>;
  query: z.output<E['query']>;
  body: z.output<E['body']>;
  principal: AuthPrincipal<E['auth']>;
  ctx: Context;
}

/**
 * `rememberNonce: false`: a signed request's nonce is not stored (one Redis SET less) because the
 * route's handler itself answers a replay of the same bytes without effect (RouteOptions.replaySafe).
 */
export type Authenticator = (ctx: Context, kind: Exclude<Auth, 'none'>, how?: { rememberNonce: boolean }) => Promise<Principal>;

export interface RouteOptions {
  authenticate: Authenticator;
  /** Validate every response against the contract (on in tests and the sandbox deployment). */
  validateResponses: boolean;
  bodyLimitBytes?: number;
  /**
   * The handler makes a replay of the same signed request harmless by itself — the body carries
   * an id it accepts once, and remembers for longer than a signature stays fresh — so the
   * signed-request nonce is not stored as well. Signature and time window are checked all the same.
   */
  replaySafe?: boolean;
}

/** Issues are reported by path and message only: the offending values may be personal data. */
export function validationDetails(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new DomainError('VALIDATION_FAILED', undefined, validationDetails(r.error));
  return r.data as z.output<T>;
}

/** Binds one contract endpoint to a handler: auth first, then request validation, then the handler. */
export function bind<E extends Endpoint>(
  router: Router,
  endpoint: E,
  opts: RouteOptions,
  handler: (input: HandlerInput<E>) => Promise<z.input<E['response']>>,
): void {
  const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  router[method](endpoint.path, async (ctx) => {
    const principal: Principal =
      endpoint.auth === 'none' ? { kind: 'anonymous' } : await opts.authenticate(ctx, endpoint.auth as Exclude<Auth, 'none'>, { rememberNonce: !opts.replaySafe });
    const params = parse<E['params']>(endpoint.params, ctx.params ?? {});
    const query = parse<E['query']>(endpoint.query, { ...ctx.query });
    const body = endpoint.method === 'GET' ? parse<E['body']>(endpoint.body, {}) : parse<E['body']>(endpoint.body, await readJsonBody(ctx, opts.bodyLimitBytes));
    const result = await handler({ params, query, body, principal: principal as AuthPrincipal<E['auth']>, ctx });
    if (opts.validateResponses) {
      const r = endpoint.response.safeParse(result);
      if (!r.success) throw new Error(`response of ${endpoint.id} breaks the contract: ${JSON.stringify(validationDetails(r.error))}`);
    }
    if (ctx.status === 404 || !ctx.body) ctx.status = 200;
    ctx.body = result;
  });
}
