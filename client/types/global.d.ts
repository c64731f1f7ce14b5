/// <reference types="@tarojs/taro" />

declare module '*.css';

/**
 * The few platform APIs Taro does not wrap, typed as far as we use them. Only
 * src/platform/platform.<env>.ts touch these globals.
 */
interface PlatformCallbacks<T> {
  success?: (result: T) => void;
  fail?: (error: { errMsg?: string; error?: number; errorMessage?: string }) => void;
  complete?: () => void;
}

/** WeChat: wx.requestMedicalInsurancePay (WeChat ≥ 8.0.44) and wx.requestSubscribeMessage. */
interface WxGlobal {
  login?: (opts: PlatformCallbacks<{ code: string }>) => void;
  requestMedicalInsurancePay?: (
    opts: { mixTradeNo: string; timeStamp?: string; nonceStr?: string; package?: string; signType?: string; paySign?: string } & PlatformCallbacks<{ errMsg: string }>,
  ) => void;
  requestSubscribeMessage?: (opts: { tmplIds: string[] } & PlatformCallbacks<Record<string, string>>) => void;
}

/** Alipay: my.getAuthCode with the medical scopes, my.ap.navigateToAlipayPage and subscribe messages. */
interface MyGlobal {
  getAuthCode: (opts: { scopes: string | string[] } & PlatformCallbacks<{ authCode?: string }>) => void;
  ap?: { navigateToAlipayPage?: (opts: { path: string } & PlatformCallbacks<unknown>) => void };
  /** a plain trade (自费): Alipay's cashier for trade_no; resultCode 9000 paid, 6001 cancelled */
  tradePay?: (opts: { tradeNO: string } & PlatformCallbacks<{ resultCode?: string }>) => void;
  requestSubscribeMessage?: (opts: { entityIds: string[] } & PlatformCallbacks<Record<string, unknown>>) => void;
  request?: (opts: Record<string, unknown>) => void;
}

declare const wx: WxGlobal;
declare const my: MyGlobal;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'alipay' | 'h5';
    TARO_APP_API_BASE?: string;
  }
}
