import crypto from 'node:crypto';
import type { PeerStackModule } from '../../scripts/stack/types';
import { digits, rsaPair } from '../common/keys';

const hex = (n: number) => crypto.randomBytes(n).toString('hex');
const alnum = (n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: n }, () => abc[crypto.randomInt(0, abc.length)]).join('');
};

/** Fresh keys for every new stack: merchant API key, WeChat Pay public key (PUB_KEY_ID_…), APIv3 key, mini-program and tengmed secrets. */
export function makeWechatCredentials() {
  const merchant = rsaPair();
  const platform = rsaPair();
  return {
    appId: `wx${hex(8)}`,
    appSecret: hex(16),
    mchId: `19${digits(8)}`,
    merchantSerialNo: hex(20).toUpperCase(),
    merchantPrivateKeyPem: merchant.privateKeyPem,
    merchantPublicKeyPem: merchant.publicKeyPem,
    wechatpayPublicKeyId: `PUB_KEY_ID_01${digits(30)}`,
    wechatpayPrivateKeyPem: platform.privateKeyPem,
    wechatpayPublicKeyPem: platform.publicKeyPem,
    apiV3Key: alnum(32),
    mipPartnerId: digits(8),
    mipPartnerSecret: hex(16),
    templates: { registrationPaid: `tmpl-reg-${alnum(24)}`, outpatientPaid: `tmpl-opd-${alnum(24)}` },
  };
}

export type WechatCredentials = ReturnType<typeof makeWechatCredentials>;

/**
 * The hospital's public https origin WeChat Pay calls back, as the sandbox stack names it; the
 * sandbox routes it to the local BFF (callbackRoutes), like DNS + the hospital's TLS front.
 */
export const SANDBOX_CALLBACK_ORIGIN = 'https://bff.sandbox-hospital.cn';

const credsOf = (c: Record<string, unknown>) => c as unknown as WechatCredentials;

export function wechatSandboxConfig(c: WechatCredentials, nationalUrl: string, bffUrl?: string): Record<string, unknown> {
  return {
    ...(bffUrl ? { callbackRoutes: { [SANDBOX_CALLBACK_ORIGIN]: bffUrl } } : {}),
    appId: c.appId,
    appSecret: c.appSecret,
    mchId: c.mchId,
    merchantSerialNo: c.merchantSerialNo,
    merchantPublicKeyPem: c.merchantPublicKeyPem,
    wechatpayPublicKeyId: c.wechatpayPublicKeyId,
    wechatpayPrivateKeyPem: c.wechatpayPrivateKeyPem,
    apiV3Key: c.apiV3Key,
    mipPartnerId: c.mipPartnerId,
    mipPartnerSecret: c.mipPartnerSecret,
    subscribeTemplateIds: [c.templates.registrationPaid, c.templates.outpatientPaid],
    urls: { national: nationalUrl },
  };
}

/** The `channels.wechat` section of the BFF configuration (all three base URLs at the one sandbox). */
export function wechatBffConfig(c: WechatCredentials, wechatUrl: string, bffUrl: string): Record<string, unknown> {
  return {
    appId: c.appId,
    appSecret: c.appSecret,
    apiBaseUrl: wechatUrl,
    payBaseUrl: wechatUrl,
    mipBaseUrl: wechatUrl,
    mipPartnerId: c.mipPartnerId,
    mipPartnerSecret: c.mipPartnerSecret,
    mchId: c.mchId,
    merchantSerialNo: c.merchantSerialNo,
    merchantPrivateKeyPem: c.merchantPrivateKeyPem,
    apiV3Key: c.apiV3Key,
    wechatpayPublicKeyId: c.wechatpayPublicKeyId,
    wechatpayPublicKeyPem: c.wechatpayPublicKeyPem,
    platformCertificates: {},
    cityId: '440100',
    medInsTestEnv: true,
    medInstName: '乐于医院',
    medInstNo: 'H44010600001',
    hospitalGeoLocation: '113.264385,23.129112',
    callbackBaseUrl: SANDBOX_CALLBACK_ORIGIN,
    refundNotifyUrl: `${SANDBOX_CALLBACK_ORIGIN}/notify/wechat/payment`,
    subscribeTemplates: c.templates,
    miniprogramState: 'developer',
    insuranceAuth: {
      appId: 'wxe183cd55df4b4369',
      path: 'auth/pages/bindcard/auth/index?openType=getAuthCode&bizType=04107&cityCode=440100&channel=AAGsandbox&orgChnlCrtfCodg=sandbox/H44010600001&orgCodg=H44010600001&orgAppId=sandbox',
      envVersion: 'trial',
    },
    timeoutMs: 5000,
  };
}

export const wechatStack: PeerStackModule = {
  name: 'wechat',
  entry: 'sandbox/wechat/main.ts',
  makeCredentials: () => ({ ...makeWechatCredentials() }),
  sandboxConfig: (creds, urls) => wechatSandboxConfig(credsOf(creds.wechat), urls.national, urls.bff),
  bffConfig: (creds, urls) => ({ channels: { wechat: wechatBffConfig(credsOf(creds.wechat), urls.wechat, urls.bff) } }),
};
