import crypto from 'node:crypto';
import type { PeerStackModule } from '../../scripts/stack/types';
import { digits, rsaPair } from '../common/keys';

/** Fresh PKCS8 key pairs for the app and for "Alipay" in every new stack. */
export function makeAlipayCredentials() {
  const app = rsaPair();
  const alipay = rsaPair();
  return {
    appId: `2021${digits(12)}`,
    pid: `2088${digits(12)}`,
    appPrivateKeyPem: app.privateKeyPem,
    appPublicKeyPem: app.publicKeyPem,
    alipayPrivateKeyPem: alipay.privateKeyPem,
    alipayPublicKeyPem: alipay.publicKeyPem,
    templates: { registrationPaid: crypto.randomBytes(16).toString('hex'), outpatientPaid: crypto.randomBytes(16).toString('hex') },
  };
}

export type AlipayCredentials = ReturnType<typeof makeAlipayCredentials>;

const credsOf = (c: Record<string, unknown>) => c as unknown as AlipayCredentials;

export function alipaySandboxConfig(c: AlipayCredentials, nationalUrl: string): Record<string, unknown> {
  // the sandbox gets the app's public key and Alipay's private key: it verifies the app and signs as Alipay
  const { appId, pid, appPublicKeyPem, alipayPrivateKeyPem, templates } = c;
  const subscribeTemplateIds = [templates.registrationPaid, templates.outpatientPaid];
  return { appId, pid, appPublicKeyPem, alipayPrivateKeyPem, subscribeTemplateIds, urls: { national: nationalUrl } };
}

/** The `channels.alipay` section of the BFF configuration. */
export function alipayBffConfig(c: AlipayCredentials, alipayUrl: string): Record<string, unknown> {
  return {
    appId: c.appId,
    gatewayUrl: `${alipayUrl}/gateway.do`,
    appPrivateKeyPem: c.appPrivateKeyPem,
    alipayPublicKeyPem: c.alipayPublicKeyPem,
    authCallUrl: `alipays://platformapi/startapp?appId=${c.appId}&page=${encodeURIComponent('pages/insurance/authorized')}`,
    orgAppId: `sandbox-${c.appId}`,
    orgChnlCrtfCode: 'BqK1kMStlhVDgN2uHf4EsLK/F2LjZPYJ81nK2eYQqxv',
    orgNo: 'H44010600001',
    orgName: '乐于医院',
    // 外部门店ID (createandpay store_id; shop_id is the other choice)
    storeId: 'H44010600001-MZ',
    subscribeTemplates: c.templates,
    timeoutMs: 5000,
  };
}

export const alipayStack: PeerStackModule = {
  name: 'alipay',
  entry: 'sandbox/alipay/main.ts',
  makeCredentials: () => ({ ...makeAlipayCredentials() }),
  sandboxConfig: (creds, urls) => alipaySandboxConfig(credsOf(creds.alipay), urls.national),
  bffConfig: (creds, urls) => ({ channels: { alipay: alipayBffConfig(credsOf(creds.alipay), urls.alipay) } }),
};
