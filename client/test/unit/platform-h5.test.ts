import h5, { NOT_A_SANDBOX_PERSON, patientParam } from '../../src/platform/platform.h5';
import { config, wechatPayment } from '../fixtures';

function fetchReturning(body: unknown) {
  const fn = jest.fn(async (_url: string, _init: { body: string }) => ({ ok: true, status: 200, json: async () => body }));
  (global as any).fetch = fn;
  return fn;
}

async function click(id: string) {
  for (let i = 0; i < 20 && !document.getElementById(id); i++) await new Promise((r) => setTimeout(r, 0));
  document.getElementById(id)!.click();
}

describe('H5 preview platform (sandbox WeChat)', () => {
  afterEach(() => {
    delete (global as any).fetch;
    localStorage.clear();
  });

  test('reads ?patient= before or after the hash', () => {
    expect(patientParam({ search: '?patient=zhang', hash: '' })).toBe('zhang');
    expect(patientParam({ search: '', hash: '#/pages/index/index?patient=wang' })).toBe('wang');
    expect(patientParam({ search: '', hash: '#/pages/index/index' })).toBeUndefined();
  });

  test('gets a login code from the sandbox and keeps the openid it hands out', async () => {
    const f = fetchReturning({ code: 'C1', openid: 'sandbox-x1' });
    await expect(h5.login(config)).resolves.toEqual({ channel: 'wechat', code: 'C1' });
    expect(f.mock.calls[0][0]).toBe('http://127.0.0.1:7101/sandbox/dev/login-code');
    expect(localStorage.getItem('mip.h5.openid')).toBe('sandbox-x1');
    await h5.login(config);
    expect(JSON.parse(f.mock.calls[1][1].body)).toEqual({ openid: 'sandbox-x1' });
  });

  test('shows a sheet for the e-voucher round trip and returns the sandbox authCode', async () => {
    const f = fetchReturning({ authCode: 'AUTH-9' });
    const p = h5.getInsuranceAuthCode(config);
    await click('sim-auth-ok');
    await expect(p).resolves.toEqual({ authCode: 'AUTH-9' });
    expect(JSON.parse(f.mock.calls[0][1].body).outcome).toBe('ok');
    expect(document.getElementById('sim-sheet')).toBeNull();
  });

  test('explains how to pick a sandbox person when the sandbox does not know this openid', async () => {
    const fn = jest.fn(async () => ({ ok: false, status: 404, json: async () => ({ error: 'no sandbox person has this openid (use sandbox-<key>)' }) }));
    (global as any).fetch = fn;
    const p = h5.getInsuranceAuthCode(config);
    await click('sim-auth-ok');
    await expect(p).resolves.toEqual({ cancelled: true, message: NOT_A_SANDBOX_PERSON });
    expect(NOT_A_SANDBOX_PERSON).toContain('?patient=zhang');
  });

  test('lets the preview choose a failed payment and reports it as failed', async () => {
    const f = fetchReturning({ errMsg: 'requestMedicalInsurancePay:fail system error' });
    const p = h5.pay(wechatPayment, config);
    await click('sim-pay-fail');
    await expect(p).resolves.toMatchObject({ outcome: 'fail' });
    const body = JSON.parse(f.mock.calls[0][1].body);
    expect(body).toMatchObject({ mixTradeNo: 'MIX123', paySign: 'sig', outcome: 'fail' });
    expect(f.mock.calls[0][0]).toBe('http://127.0.0.1:7101/sandbox/dev/pay');
  });

  test("reports the sheet's 支付失败 as failed even when the sandbox's errMsg mentions cancelling", async () => {
    // the sandbox WeChat's own wording for outcome 'fail'
    fetchReturning({ errMsg: 'requestMedicalInsurancePay:fail user cancelled or payment failed' });
    const p = h5.pay(wechatPayment, config);
    await click('sim-pay-fail');
    await expect(p).resolves.toEqual({ outcome: 'fail', message: '支付没有完成' });
  });

  test("reports the sheet's 取消 as cancelled without asking the sandbox", async () => {
    const f = fetchReturning({});
    const p = h5.pay(wechatPayment, config);
    await click('sim-pay-cancel');
    await expect(p).resolves.toEqual({ outcome: 'cancel' });
    expect(f).not.toHaveBeenCalled();
  });

  test('confirms a payment through the sandbox pay endpoint', async () => {
    fetchReturning({ errMsg: 'requestMedicalInsurancePay:ok' });
    const p = h5.pay(wechatPayment, config);
    await click('sim-pay-ok');
    await expect(p).resolves.toEqual({ outcome: 'ok' });
  });
});
