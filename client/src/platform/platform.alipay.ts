/**
 * Alipay mini-program. Login: my.getAuthCode auth_base (Taro.login would force it too; we call it
 * directly). E-voucher: my.getAuthCode({scopes:['nhsamp','auth_user']}); when the BFF answers
 * redirect, open authUrl and come back. Pay: open payUrl (Alipay's medical pay page). Subscribe:
 * entityIds.
 */
import type { AppShowOptions, AuthCodeResult, ClientConfig, PayOutcome, PayParams, Platform } from './index';

const RETURN_WAIT_MS = 15 * 60 * 1000;
let showWaiters: Array<() => void> = [];

/** Resolves at the next App onShow (the patient is back from an Alipay page), or after a long wait. */
function nextShow(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    showWaiters.push(finish);
    setTimeout(finish, RETURN_WAIT_MS);
  });
}

function getAuthCode(scopes: string | string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    my.getAuthCode({
      scopes,
      success: (r: { authCode?: string }) => (r?.authCode ? resolve(r.authCode) : reject(new Error('no authCode'))),
      fail: (e: unknown) => reject(e),
    });
  });
}

/** Opens an Alipay page (https or alipays://) and waits until the patient is back. */
function openAlipayPage(target: string): Promise<boolean> {
  const path = /%[0-9A-Fa-f]{2}/.test(target) ? target : encodeURI(target);
  const back = nextShow();
  return new Promise<boolean>((resolve) => {
    const nav = my.ap && typeof my.ap.navigateToAlipayPage === 'function' ? my.ap.navigateToAlipayPage : null;
    if (!nav) {
      resolve(false);
      return;
    }
    nav({
      path,
      success: () => resolve(true),
      fail: () => resolve(false),
    });
  }).then((opened) => (opened ? back.then(() => true) : false));
}

/**
 * A plain trade (自费) in Alipay's own cashier: resultCode 9000 = paid, 6001 = the patient closed it;
 * any other answer is "returned" and the BFF's confirmation decides (never shown as paid here).
 */
function tradePay(tradeNO: string): Promise<PayOutcome> {
  const pay = typeof my === 'undefined' ? undefined : my.tradePay;
  if (typeof pay !== 'function') return Promise.resolve({ outcome: 'unsupported', message: '暂时无法打开支付宝付款，请把支付宝升级到最新版本后再试。' });
  return new Promise((resolve) => {
    pay({
      tradeNO,
      success: (r: { resultCode?: string }) => resolve(r?.resultCode === '9000' ? { outcome: 'ok' } : r?.resultCode === '6001' ? { outcome: 'cancel' } : { outcome: 'returned' }),
      fail: () => resolve({ outcome: 'returned' }),
    });
  });
}

const alipay: Platform = {
  apiBase: () => process.env.TARO_APP_API_BASE || '',
  payChannelName: () => '支付宝',
  identityKey: () => 'default',

  async login(): Promise<{ channel: 'alipay'; code: string }> {
    try {
      return { channel: 'alipay', code: await getAuthCode('auth_base') };
    } catch {
      throw new Error('支付宝登录失败，请重新进入小程序');
    }
  },

  async getInsuranceAuthCode(): Promise<AuthCodeResult> {
    try {
      return { authCode: await getAuthCode(['nhsamp', 'auth_user']) };
    } catch {
      return { cancelled: true, message: '您没有同意授权医保电子凭证' };
    }
  },

  resumeInsuranceAuth: () => null,

  async openAuthUrl(authUrl: string): Promise<void> {
    await openAlipayPage(authUrl);
  },

  requestSubscribe(config: ClientConfig): Promise<void> {
    const entityIds = config.subscribeTemplateIds.alipay.slice(0, 3);
    const subscribe = typeof my === 'undefined' ? undefined : my.requestSubscribeMessage;
    if (entityIds.length === 0 || typeof subscribe !== 'function') return Promise.resolve();
    return new Promise((resolve) => {
      subscribe({ entityIds, complete: () => resolve() });
    });
  },

  async pay(params: PayParams): Promise<PayOutcome> {
    if (params.channel !== 'alipay') return { outcome: 'fail', message: '支付方式与当前小程序不一致，请重新下单' };
    // 自费: a plain trade, paid in Alipay's own cashier (my.tradePay), no medical page
    if (!params.payUrl) return tradePay(params.tradeNo);
    const opened = await openAlipayPage(params.payUrl);
    if (!opened) return { outcome: 'unsupported', message: '暂时无法打开支付宝医保支付页面，请把支付宝升级到最新版本后再试。' };
    return { outcome: 'returned' };
  },

  onAppShow(_options: AppShowOptions | undefined): void {
    const ws = showWaiters;
    showWaiters = [];
    ws.forEach((w) => w());
  },
};

export default alipay;
