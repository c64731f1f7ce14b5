/**
 * The one way the client talks to the BFF: call(endpoint, {params, body, headers}) over
 * Taro.request, typed by the shared contract (types only: zod stays out of the bundle).
 *
 * - base URL from the platform (absolute https in mini-programs, same origin in H5)
 * - attaches the session token; on 401 UNAUTHENTICATED logs in again once and repeats the call
 * - retries only safe GETs (network failure, 502/503/504), never POSTs
 * - every failure becomes an ApiError {code, message} with the BFF's patient-facing message
 */
import Taro from '@tarojs/taro';
import type { patientApi } from '@mip/shared/src/contract/patient';
import type { familyApi } from '@mip/shared/src/contract/family';
import type { BodyOf, ParamsOf, QueryOf, ResponseOf } from '@mip/shared/src/contract/define';
import type { ErrorCode } from '@mip/shared/src/errors';
import { platform, type ClientConfig } from '../platform';
import { ROUTES, buildPath, type EndpointName } from './routes';
import * as storage from './storage';
import { url as withQuery } from './nav';

type Api = typeof patientApi & typeof familyApi;
export type { EndpointName };
export type ResponseFor<K extends EndpointName> = ResponseOf<Api[K]>;
export type BodyFor<K extends EndpointName> = BodyOf<Api[K]>;
export type ParamsFor<K extends EndpointName> = ParamsOf<Api[K]>;
export type QueryFor<K extends EndpointName> = QueryOf<Api[K]>;

export interface CallOptions<K extends EndpointName> {
  params?: ParamsFor<K>;
  /** query parameters (opaque ids only: never a name or ID number in a URL) */
  query?: QueryFor<K>;
  body?: BodyFor<K>;
  headers?: Record<string, string>;
  /** the request's own timeout (a status request that waits server-side needs longer than TIMEOUT_MS) */
  timeoutMs?: number;
}

/** Client-side codes in addition to the contract's ErrorCode. */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'PLATFORM';

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status = 0,
    readonly requestId?: string,
    /** the BFF's `details` (e.g. BILL_IN_OTHER_ORDER: { orderNo }) */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_MESSAGE = '网络连接不稳定，请检查网络后重试';
export const GENERIC_MESSAGE = '系统繁忙，请稍后重试';

const GET_RETRIES = 2;
const RETRYABLE_STATUS = [502, 503, 504];
const TIMEOUT_MS = 20000;

export const timing = {
  /** back-off before GET retry n (0-based); tests set it to 0 */
  retryDelayMs: (n: number) => 400 * 3 ** n,
};

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface RawResponse {
  statusCode: number;
  data: unknown;
}

/** Alipay's my.request fails on HTTP >= 400 but still hands over status and data. */
function asResponse(e: unknown): RawResponse | null {
  if (!e || typeof e !== 'object') return null;
  const o = e as Record<string, unknown>;
  const status = typeof o.statusCode === 'number' ? o.statusCode : typeof o.status === 'number' ? o.status : undefined;
  if (status === undefined || status <= 0) return null;
  return { statusCode: status, data: o.data };
}

function parseBody(data: unknown): unknown {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }
  return data;
}

export function toApiError(res: RawResponse): ApiError {
  const body = parseBody(res.data) as { error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown } } | undefined;
  const err = body && typeof body === 'object' ? body.error : undefined;
  if (err && typeof err.code === 'string') {
    const message = typeof err.message === 'string' && err.message ? err.message : GENERIC_MESSAGE;
    return new ApiError(err.code as ErrorCode, message, res.statusCode, typeof err.requestId === 'string' ? err.requestId : undefined, err.details);
  }
  if (res.statusCode === 401) return new ApiError('UNAUTHENTICATED', '登录已过期，请重新进入', 401);
  if (RETRYABLE_STATUS.includes(res.statusCode)) return new ApiError('PEER_UNAVAILABLE', '暂时连不上医院的服务，这次没有扣款。请稍后重试', res.statusCode);
  return new ApiError('INTERNAL', GENERIC_MESSAGE, res.statusCode);
}

// ---------------------------------------------------------------- config and session

let configPromise: Promise<ClientConfig> | null = null;

/** GET /api/config once per app run (the subscribe request needs it synchronously at pay time). */
export function getConfig(): Promise<ClientConfig> {
  if (!configPromise) {
    configPromise = call('clientConfig').catch((e) => {
      configPromise = null;
      throw e;
    });
  }
  return configPromise;
}

interface Session {
  token: string;
  expiresAt: string;
}

let sessionPromise: Promise<string> | null = null;

function storedToken(): string | undefined {
  const s = storage.read<Session>('session');
  if (!s || typeof s.token !== 'string') return undefined;
  const exp = Date.parse(s.expiresAt);
  if (Number.isFinite(exp) && exp - 30_000 < Date.now()) return undefined;
  return s.token;
}

/** A valid session token, logging in through the platform when there is none. */
export function ensureSession(): Promise<string> {
  const token = storedToken();
  if (token) return Promise.resolve(token);
  if (!sessionPromise) {
    sessionPromise = (async () => {
      const config = await getConfig();
      let login;
      try {
        login = await platform.login(config);
      } catch (e) {
        throw new ApiError('LOGIN_FAILED', (e as Error)?.message || '登录失败，请重新进入小程序');
      }
      const s = await call('login', { body: { channel: login.channel, code: login.code } });
      storage.write('session', { token: s.token, expiresAt: s.expiresAt });
      return s.token;
    })().finally(() => {
      sessionPromise = null;
    });
  }
  return sessionPromise;
}

export function clearSession(): void {
  storage.remove('session');
}

/** For tests: forget memoized config and session promises. */
export function resetApiState(): void {
  configPromise = null;
  sessionPromise = null;
}

// ---------------------------------------------------------------- call

export async function call<K extends EndpointName>(name: K, opts: CallOptions<K> = {}): Promise<ResponseFor<K>> {
  const route = ROUTES[name];
  const url = withQuery(platform.apiBase() + buildPath(route.path, (opts.params ?? {}) as Record<string, string>), (opts.query ?? {}) as Record<string, string | undefined>);
  let relogged = false;
  let retries = 0;
  for (;;) {
    const header: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', ...opts.headers };
    if (route.auth !== 'none') header.Authorization = `Bearer ${await ensureSession()}`;
    let res: RawResponse;
    try {
      const r = await Taro.request({
        url,
        method: route.method,
        data: route.method === 'GET' ? undefined : (opts.body ?? {}),
        header,
        timeout: opts.timeoutMs ?? TIMEOUT_MS,
        dataType: 'json',
      });
      res = { statusCode: r.statusCode, data: r.data };
    } catch (e) {
      const asRes = asResponse(e);
      if (!asRes) {
        if (route.method === 'GET' && retries < GET_RETRIES) {
          await sleep(timing.retryDelayMs(retries++));
          continue;
        }
        throw new ApiError('NETWORK', NETWORK_MESSAGE);
      }
      res = asRes;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return parseBody(res.data) as ResponseFor<K>;
    const err = toApiError(res);
    if (err.code === 'UNAUTHENTICATED' && route.auth !== 'none' && !relogged) {
      relogged = true;
      clearSession();
      continue;
    }
    if (route.method === 'GET' && RETRYABLE_STATUS.includes(res.statusCode) && retries < GET_RETRIES) {
      await sleep(timing.retryDelayMs(retries++));
      continue;
    }
    throw err;
  }
}

/** The patient-facing message of anything thrown. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return GENERIC_MESSAGE;
}
