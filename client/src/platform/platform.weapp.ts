/**
 * WeChat mini-program. Login: wx.login. E-voucher: navigateToMiniProgram to the national e-voucher
 * mini-program, authCode comes back in App.onShow referrerInfo.extraData. Pay:
 * wx.requestMedicalInsurancePay (not wrapped by Taro). Subscribe: tmplIds.
 */
import Taro from '@tarojs/taro';
import type { AppShowOptions, AuthCodeResult, ClientConfig, PayOutcome, PayParams, Platform } from './index';
import { mapPayFail } from './pay-errors';

const JUMP_KEY = 'mip.weapp.authJump';
const RETURN_KEY = 'mip.weapp.authReturn';
const RETURN_TTL_MS = 5 * 60 * 1000;

let waiter: ((r: AuthCodeResult) => void) | null = null;

function readJson<T>(key: string): T | undefined {
  try {
    const v = Taro.getStorageSync(key);
    return v ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

function deliver(r: AuthCodeResult): void {
  Taro.removeStorageSync(JUMP_KEY);
  if (waiter) {
    const w = waiter;
    waiter = null;
    w(r);
  } else {
    // no page is waiting (the mini-program restarted): keep it for resumeInsuranceAuth()
    Taro.setStorageSync(RETURN_KEY, { result: r, at: Date.now() });
  }
}

function authCodeOf(options: AppShowOptions | undefined): string | undefined {
  const extra = options?.referrerInfo?.extraData as Record<string, unknown> | string | undefined;
  if (!extra) return undefined;
  if (typeof extra === 'string') {
    try {
      const parsed = JSON.parse(extra) as Record<string, unknown>;
      return typeof parsed.authCode === 'string' ? parsed.authCode : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof extra.authCode === 'string' && extra.authCode ? extra.authCode : undefined;
}

const weapp: Platform = {
  apiBase: () => process.env.TARO_APP_API_BASE || '',
  payChannelName: () => '微信支付',
  identityKey: () => 'default',

  async login(): Promise<{ channel: 'wechat'; code: string }> {
    const r = await Taro.login();
    if (!r.code) throw new Error('微信登录失败，请重新进入小程序');
    return { channel: 'wechat', code: r.code };
  },

  async getInsuranceAuthCode(config: ClientConfig): Promise<AuthCodeResult> {
    const { appId, path, envVersion } = config.insuranceAuth.wechat;
    Taro.setStorageSync(JUMP_KEY, { at: Date.now(), left: false });
    const back = new Promise<AuthCodeResult>((resolve) => {
      waiter = resolve;
    });
    try {
      await Taro.navigateToMiniProgram({ appId, path, envVersion });
      Taro.setStorageSync(JUMP_KEY, { at: Date.now(), left: true });
    } catch (e) {
      waiter = null;
      Taro.removeStorageSync(JUMP_KEY);
      const msg = String((e as { errMsg?: string })?.errMsg ?? '');
      return { cancelled: true, message: /cancel/.test(msg) ? '您没有打开医保电子凭证' : '暂时无法打开医保电子凭证，请稍后重试' };
    }
    return back;
  },

  resumeInsuranceAuth(): AuthCodeResult | null {
    const r = readJson<{ result: AuthCodeResult; at: number }>(RETURN_KEY);
    Taro.removeStorageSync(RETURN_KEY);
    if (!r || Date.now() - r.at > RETURN_TTL_MS) return null;
    return r.result;
  },

  // WeChat's e-voucher flow never sends the patient to a URL (that is Alipay's activation path)
  async openAuthUrl(): Promise<void> {},

  requestSubscribe(config: ClientConfig): Promise<void> {
    // at most three templates a request (wx.requestSubscribeMessage); settles whatever the patient answers
    const tmplIds = config.subscribeTemplateIds.wechat.slice(0, 3);
    const subscribe = typeof wx === 'undefined' ? undefined : wx.requestSubscribeMessage;
    const asked = tmplIds.length > 0 && typeof subscribe === 'function';
    return asked ? new Promise((resolve) => subscribe({ tmplIds, complete: () => resolve() })) : Promise.resolve();
  },

  pay(params: PayParams): Promise<PayOutcome> {
    if (params.channel !== 'wechat') return Promise.resolve({ outcome: 'fail', message: '支付方式与当前小程序不一致，请重新下单' });
    const requestPay = typeof wx === 'undefined' ? undefined : wx.requestMedicalInsurancePay;
    if (typeof requestPay !== 'function') {
      return Promise.resolve({ outcome: 'unsupported', message: '您的微信版本过低，不能使用医保支付。请把微信升级到最新版本后再支付。' });
    }
    const args: { mixTradeNo: string; timeStamp?: string; nonceStr?: string; package?: string; signType?: string; paySign?: string } = { mixTradeNo: params.mixTradeNo };
    // the five signing fields only when there is a self-pay part (else PARAM_ERROR)
    if (params.paySign) {
      Object.assign(args, {
        timeStamp: params.timeStamp ?? '',
        nonceStr: params.nonceStr ?? '',
        package: params.package ?? '',
        signType: params.signType ?? 'RSA',
        paySign: params.paySign,
      });
    }
    return new Promise((resolve) => {
      requestPay({
        ...args,
        success: () => resolve({ outcome: 'ok' }),
        fail: (e: { errMsg?: string }) => resolve(mapPayFail(e?.errMsg)),
      });
    });
  },

  onAppShow(options: AppShowOptions | undefined): void {
    const jump = readJson<{ at: number; left: boolean }>(JUMP_KEY);
    const code = authCodeOf(options);
    if (code && (jump || waiter)) {
      deliver({ authCode: code });
      return;
    }
    if (code) {
      // cold start straight from the e-voucher mini-program after a restart
      Taro.setStorageSync(RETURN_KEY, { result: { authCode: code }, at: Date.now() });
      return;
    }
    if (jump?.left) deliver({ cancelled: true, message: '没有收到医保电子凭证的授权结果' });
  },
};

export default weapp;
