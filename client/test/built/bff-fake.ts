/** Canned BFF answers for loading the built packages headlessly (no network, no BFF). */
import { config, regions, departments, bills } from '../fixtures';

export function answer(method: string, url: string): { statusCode: number; data: unknown } {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  const key = `${(method || 'GET').toUpperCase()} ${path}`;
  const routes: Record<string, unknown> = {
    'GET /api/config': config,
    'POST /api/session': { token: 'tok-built', expiresAt: '2999-01-01T00:00:00Z', channel: 'wechat' },
    'GET /api/insurance/profile': { ready: false },
    'GET /api/regions': regions,
    'GET /api/registration/departments': departments,
    'GET /api/outpatient/bills': bills,
    'GET /api/orders': { orders: [] },
  };
  if (key in routes) return { statusCode: 200, data: routes[key] };
  return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到相关记录' } } };
}

/** Everything app.config.ts lists, with a text each page shows once rendered. */
export const PAGE_TEXT: Record<string, RegExp> = {
  'pages/index/index': /第一步：核验医保身份/,
  'pages/region/index': /广州市/,
  'pages/status/index': /请先选择参保地/,
  'pages/benefit/index': /请先核验医保身份/,
  'pages/auth/index': /为什么要授权/,
  'pages/departments/index': /内科/,
  'pages/doctors/index': /没有找到相关记录|选择医生/,
  'pages/slots/index': /没有找到相关记录|选择时间|就诊时间/,
  'pages/reg-confirm/index': /没有找到您选择的号源/,
  'pages/bills/index': /门诊处方/,
  'pages/bill/index': /没有找到相关记录|费用明细/,
  'pages/pay/index': /没有找到要支付的订单/,
  'pages/result/index': /支付确认中|支付结果/,
  'pages/orders/index': /您还没有订单/,
  'pages/order/index': /没有找到相关记录|订单详情/,
};
