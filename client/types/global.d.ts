/// <reference types="@tarojs/taro" />

declare module '*.css';

// The platforms' own globals, used only inside src/platform/platform.<env>.ts
declare const wx: any;
declare const my: any;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'alipay' | 'h5';
    TARO_APP_API_BASE?: string;
  }
}
