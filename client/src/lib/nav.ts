import Taro from '@tarojs/taro';

export const PAGES = {
  home: '/pages/index/index',
  region: '/pages/region/index',
  status: '/pages/status/index',
  benefit: '/pages/benefit/index',
  auth: '/pages/auth/index',
  departments: '/pages/departments/index',
  doctors: '/pages/doctors/index',
  slots: '/pages/slots/index',
  regConfirm: '/pages/reg-confirm/index',
  bills: '/pages/bills/index',
  bill: '/pages/bill/index',
  pay: '/pages/pay/index',
  result: '/pages/result/index',
  orders: '/pages/orders/index',
  order: '/pages/order/index',
  /** subpackage (app.config.ts subPackages): used rarely, kept out of the WeChat main package */
  family: '/family/pages/index',
} as const;

export function url(page: string, query: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${page}?${q}` : page;
}

// Navigation failures (e.g. the page stack is full) fall back to redirecting.
export function go(to: string): void {
  Promise.resolve(Taro.navigateTo({ url: to })).catch(() => Taro.redirectTo({ url: to }));
}

export function replace(to: string): void {
  Promise.resolve(Taro.redirectTo({ url: to })).catch(() => Taro.reLaunch({ url: to }));
}

export function restart(to: string = PAGES.home): void {
  Promise.resolve(Taro.reLaunch({ url: to })).catch(() => undefined);
}

export function back(fallback: string = PAGES.home): void {
  const pages = typeof Taro.getCurrentPages === 'function' ? Taro.getCurrentPages() : [];
  if (pages && pages.length > 1) Promise.resolve(Taro.navigateBack({ delta: 1 })).catch(() => restart(fallback));
  else restart(fallback);
}

/** Router params are URL-encoded on some platforms; decode once, defensively. */
export function param(params: Record<string, string | undefined>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === '') return undefined;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** Return to `target` (a page url with query): pop back to it when it is the previous page, else redirect. */
export function backTo(target: string): void {
  const pages = typeof Taro.getCurrentPages === 'function' ? Taro.getCurrentPages() : [];
  const prev = pages && pages.length > 1 ? pages[pages.length - 2] : undefined;
  const route = prev && typeof prev.route === 'string' ? `/${prev.route.replace(/^\//, '')}` : undefined;
  if (route && target.split('?')[0] === route) Promise.resolve(Taro.navigateBack({ delta: 1 })).catch(() => replace(target));
  else replace(target);
}
