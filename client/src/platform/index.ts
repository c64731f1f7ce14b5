/**
 * The ONE interface between the pages and the platform (WeChat mini-program, Alipay mini-program,
 * H5 browser preview). Taro picks `platform.weapp.ts` / `platform.alipay.ts` / `platform.h5.ts`
 * for `./platform` at build time; `platform.d.ts` only types that import for tsc and editors.
 * Pages and lib/ code never look at process.env.TARO_ENV: whatever differs lives behind this.
 */
import type { clientConfig } from '@mip/shared/src/contract/patient';
import type { ResponseOf } from '@mip/shared/src/contract/define';
import type { PayParams } from '@mip/shared/src/contract/schemas';

export type ClientConfig = ResponseOf<typeof clientConfig>;
export type { PayParams };

/** A one-time login code for POST /api/session. */
export interface LoginCode {
  channel: 'wechat' | 'alipay';
  code: string;
}

/** The e-voucher (医保电子凭证) authorization round trip. */
export type AuthCodeResult = { authCode: string } | { cancelled: true; message?: string };

/**
 * What the platform's pay call said. 'ok' and 'returned' never mean "paid": the result page asks
 * the BFF. 'returned' = the patient came back from an external pay page whose outcome we cannot see.
 */
export type PayOutcome =
  | { outcome: 'ok' }
  | { outcome: 'returned' }
  | { outcome: 'fail'; message: string }
  | { outcome: 'cancel' }
  | { outcome: 'unsupported'; message: string };

/** The options an App's onLaunch/onShow receives (only the parts we read). */
export interface AppShowOptions {
  path?: string;
  query?: Record<string, unknown>;
  referrerInfo?: { appId?: string; extraData?: unknown };
}

export interface Platform {
  /** Base URL of the BFF: absolute https in the mini-programs, '' (same origin) in H5. */
  apiBase(): string;
  /** How the self-pay part is paid here, for labels: '微信支付' / '支付宝'. */
  payChannelName(): string;
  /** Who the stored session and progress belong to ('default' except in the H5 preview's ?patient=). */
  identityKey(): string;
  /** WeChat wx.login / Alipay my.getAuthCode(auth_base) / H5: the sandbox WeChat dev endpoint. */
  login(config: ClientConfig): Promise<LoginCode>;
  /**
   * Get an e-voucher authCode. WeChat: jump to the e-voucher mini-program and wait for the app to
   * show again with referrerInfo.extraData.authCode. Alipay: my.getAuthCode({scopes:['nhsamp','auth_user']}).
   * familyPay: the patient pays for a family member (亲情付); the e-voucher page is where the holder
   * picks the relative (wechatpay-skills 开发参数与业务规则 §五), so WeChat and Alipay jump the same way.
   */
  getInsuranceAuthCode(config: ClientConfig, opts?: { familyPay?: boolean }): Promise<AuthCodeResult>;
  /**
   * A result captured while no page was waiting (the mini-program was restarted on the way back
   * from the e-voucher mini-program). Returned once, then forgotten.
   */
  resumeInsuranceAuth(): AuthCodeResult | null;
  /** Alipay: open the voucher authorization/activation page the BFF sent; resolves when the patient is back. */
  openAuthUrl(authUrl: string): Promise<void>;
  /** Ask for message subscription; never rejects (a refusal must not block the payment). */
  requestSubscribe(config: ClientConfig): Promise<void>;
  /** The channel's pay call with the BFF's PayParams. */
  pay(params: PayParams, config: ClientConfig): Promise<PayOutcome>;
  /** Called by the App on launch and on every show. */
  onAppShow(options: AppShowOptions | undefined): void;
}

export { default as platform } from './platform';
