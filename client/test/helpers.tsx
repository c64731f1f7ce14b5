import Taro from '@tarojs/taro';
import { __setRouterParams } from './stubs/taro';
import { config } from './fixtures';

export interface Req {
  url: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
}
export type Reply = { status?: number; data?: unknown } | Promise<{ status?: number; data?: unknown }>;
export type Handler = Reply | ((req: Req) => Reply);

/**
 * Fakes the BFF behind Taro.request: keys are "METHOD /path". /api/config and /api/session answer by
 * default. Returns the list of requests made.
 */
export function mockApi(routes: Record<string, Handler>): Req[] {
  const calls: Req[] = [];
  const all: Record<string, Handler> = {
    'GET /api/config': { data: config },
    'POST /api/session': { data: { token: 'tok-1', expiresAt: '2999-01-01T00:00:00Z', channel: 'wechat' } },
    ...routes,
  };
  (Taro.request as jest.Mock).mockImplementation(async (opts: Req) => {
    const req = { url: opts.url, method: opts.method, data: opts.data, header: opts.header };
    calls.push(req);
    const h = all[`${opts.method} ${opts.url}`] ?? all[`${opts.method} ${opts.url.split('?')[0]}`];
    if (!h) return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到相关记录' } } };
    const r = await (typeof h === 'function' ? h(req) : h);
    return { statusCode: r.status ?? 200, data: r.data };
  });
  return calls;
}

export function apiError(status: number, code: string, message: string): { status: number; data: unknown } {
  return { status, data: { error: { code, message } } };
}

export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A reply that never comes (the page stays in its loading state). */
export const never = (): Reply => new Promise(() => undefined);

export function setParams(p: Record<string, string>): void {
  __setRouterParams(p);
}

export function storageSet(key: string, value: unknown): void {
  Taro.setStorageSync(`mip.test.${key}`, value);
}

export function storageGet<T = any>(key: string): T {
  return Taro.getStorageSync(`mip.test.${key}`) as T;
}

export const nav = {
  navigateTo: () => (Taro.navigateTo as jest.Mock).mock.calls.map((c) => c[0].url as string),
  redirectTo: () => (Taro.redirectTo as jest.Mock).mock.calls.map((c) => c[0].url as string),
  reLaunch: () => (Taro.reLaunch as jest.Mock).mock.calls.map((c) => c[0].url as string),
};
