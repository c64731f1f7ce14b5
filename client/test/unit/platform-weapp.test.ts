import Taro from '@tarojs/taro';
import weapp from '../../src/platform/platform.weapp';
import { config, wechatPayment } from '../fixtures';

const g = global as any;

describe('WeChat platform', () => {
  afterEach(() => {
    delete g.wx;
  });

  test('asks the patient to upgrade WeChat when requestMedicalInsurancePay is missing', async () => {
    g.wx = {};
    await expect(weapp.pay(wechatPayment, config)).resolves.toMatchObject({ outcome: 'unsupported', message: expect.stringContaining('升级') });
  });

  test('passes mixTradeNo and the five signing fields to requestMedicalInsurancePay', async () => {
    const fn = jest.fn((o: any) => o.success({ errMsg: 'requestMedicalInsurancePay:ok' }));
    g.wx = { requestMedicalInsurancePay: fn };
    await expect(weapp.pay(wechatPayment, config)).resolves.toEqual({ outcome: 'ok' });
    expect(fn.mock.calls[0][0]).toMatchObject({ mixTradeNo: 'MIX123', timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 'sig' });
  });

  test('sends only mixTradeNo when there is no self-pay part', async () => {
    const fn = jest.fn((o: any) => o.success({}));
    g.wx = { requestMedicalInsurancePay: fn };
    await weapp.pay({ channel: 'wechat', mixTradeNo: 'MIX9' }, config);
    expect(Object.keys(fn.mock.calls[0][0]).sort()).toEqual(['fail', 'mixTradeNo', 'success']);
  });

  test('turns a failed pay call into words for the patient', async () => {
    g.wx = { requestMedicalInsurancePay: (o: any) => o.fail({ errMsg: 'requestMedicalInsurancePay:fail:access denied' }) };
    await expect(weapp.pay(wechatPayment, config)).resolves.toMatchObject({ outcome: 'fail', message: expect.stringContaining('窗口') });
  });

  test('asks for subscription with the WeChat template ids', async () => {
    const fn = jest.fn((o: any) => o.complete());
    g.wx = { requestSubscribeMessage: fn };
    await weapp.requestSubscribe(config);
    expect(fn.mock.calls[0][0].tmplIds).toEqual(['TPL-REG', 'TPL-PAY']);
  });

  test('jumps to the e-voucher mini-program and takes the authCode from the next App show', async () => {
    (Taro.navigateToMiniProgram as jest.Mock).mockResolvedValue({ errMsg: 'navigateToMiniProgram:ok' });
    const p = weapp.getInsuranceAuthCode(config);
    await Promise.resolve();
    await Promise.resolve();
    expect(Taro.navigateToMiniProgram).toHaveBeenCalledWith({ appId: 'wxe183cd55df4b4369', path: config.insuranceAuth.wechat.path, envVersion: 'trial' });
    weapp.onAppShow({ referrerInfo: { appId: 'wxe183cd55df4b4369', extraData: { authCode: 'AC-42' } } });
    await expect(p).resolves.toEqual({ authCode: 'AC-42' });
  });

  test('treats coming back without a code as a cancelled authorization', async () => {
    (Taro.navigateToMiniProgram as jest.Mock).mockResolvedValue({ errMsg: 'navigateToMiniProgram:ok' });
    const p = weapp.getInsuranceAuthCode(config);
    await new Promise((r) => setTimeout(r, 0));
    weapp.onAppShow({ referrerInfo: {} });
    await expect(p).resolves.toMatchObject({ cancelled: true });
  });

  test('keeps a code that arrives after a restart for the authorization page', () => {
    weapp.onAppShow({ referrerInfo: { extraData: { authCode: 'AC-COLD' } } });
    expect(weapp.resumeInsuranceAuth()).toEqual({ authCode: 'AC-COLD' });
    expect(weapp.resumeInsuranceAuth()).toBeNull();
  });
});
