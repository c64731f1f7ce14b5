import Taro from '@tarojs/taro';
import { ApiError, call, ensureSession } from '../src/lib/api';
import { platformDouble } from './doubles/platform';
import { apiError, mockApi, storageGet } from './helpers';
import { regions } from './fixtures';

describe('the API client', () => {
  test('logs in through the platform and attaches the session token', async () => {
    const calls = mockApi({ 'GET /api/regions': { data: regions } });
    await expect(call('listRegions')).resolves.toEqual(regions);
    const login = calls.find((c) => c.url === '/api/session');
    expect(login?.data).toEqual({ channel: 'wechat', code: 'test-login-code' });
    const last = calls[calls.length - 1];
    expect(last.header.Authorization).toBe('Bearer tok-1');
    expect(storageGet('session').token).toBe('tok-1');
  });

  test('does not send a token to endpoints that need none', async () => {
    const calls = mockApi({});
    await call('clientConfig');
    expect(calls).toHaveLength(1);
    expect(calls[0].header.Authorization).toBeUndefined();
  });

  test('logs in again once on 401 UNAUTHENTICATED and repeats the call', async () => {
    let n = 0;
    const calls = mockApi({
      'GET /api/regions': () => (++n === 1 ? apiError(401, 'UNAUTHENTICATED', '登录已过期，请重新进入') : { data: regions }),
    });
    await expect(call('listRegions')).resolves.toEqual(regions);
    expect(calls.filter((c) => c.url === '/api/session')).toHaveLength(2);
    expect(platformDouble.login).toHaveBeenCalledTimes(2);
  });

  test('gives up after the second 401 with the BFF message', async () => {
    mockApi({ 'GET /api/regions': apiError(401, 'UNAUTHENTICATED', '登录已过期，请重新进入') });
    await expect(call('listRegions')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已过期，请重新进入' });
  });

  test('retries a GET after a 503', async () => {
    let n = 0;
    const calls = mockApi({ 'GET /api/regions': () => (++n === 1 ? apiError(503, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试') : { data: regions }) });
    await expect(call('listRegions')).resolves.toEqual(regions);
    expect(calls.filter((c) => c.url === '/api/regions')).toHaveLength(2);
  });

  test('never retries a POST after a 503', async () => {
    const calls = mockApi({ 'POST /api/orders': apiError(503, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试') });
    await expect(call('createOrder', { body: { kind: 'registration', slotId: 'S1' }, headers: { 'Idempotency-Key': 'k' } })).rejects.toMatchObject({
      code: 'PEER_UNAVAILABLE',
    });
    expect(calls.filter((c) => c.url === '/api/orders')).toHaveLength(1);
  });

  test('never retries a POST after a network failure and says so in plain words', async () => {
    mockApi({});
    (Taro.request as jest.Mock).mockImplementation(async (o: { url: string }) => {
      if (o.url === '/api/orders/MIP1/pay') throw { errMsg: 'request:fail timeout' };
      if (o.url === '/api/config') return { statusCode: 200, data: {} };
      return { statusCode: 200, data: { token: 't', expiresAt: '2999-01-01T00:00:00Z', channel: 'wechat' } };
    });
    await expect(call('payOrder', { params: { orderNo: 'MIP1' }, body: {} })).rejects.toMatchObject({ code: 'NETWORK', message: '网络连接不稳定，请检查网络后重试' });
    const payCalls = (Taro.request as jest.Mock).mock.calls.filter((c) => c[0].url === '/api/orders/MIP1/pay');
    expect(payCalls).toHaveLength(1);
  });

  test('turns an Alipay-style failed request with a status into the contract error', async () => {
    mockApi({});
    (Taro.request as jest.Mock).mockImplementation(async (o: { url: string }) => {
      if (o.url === '/api/regions') throw { status: 409, data: { error: { code: 'IDENTITY_REQUIRED', message: '请先完成医保身份核验' } } };
      if (o.url === '/api/config') return { statusCode: 200, data: {} };
      return { statusCode: 200, data: { token: 't', expiresAt: '2999-01-01T00:00:00Z', channel: 'wechat' } };
    });
    const e = await call('listRegions').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'IDENTITY_REQUIRED', message: '请先完成医保身份核验', status: 409 });
  });

  test('shares one login between calls made at the same time', async () => {
    const calls = mockApi({ 'GET /api/regions': { data: regions } });
    await Promise.all([call('listRegions'), call('listRegions'), ensureSession()]);
    expect(calls.filter((c) => c.url === '/api/session')).toHaveLength(1);
  });

  test('uses the base URL the platform gives', async () => {
    platformDouble.apiBase.mockReturnValue('https://bff.example.cn');
    const calls = mockApi({});
    (Taro.request as jest.Mock).mockImplementation(async (o: { url: string }) => {
      calls.push(o as never);
      return { statusCode: 200, data: {} };
    });
    await call('clientConfig');
    expect(calls[0].url).toBe('https://bff.example.cn/api/config');
  });
});
