/**
 * Start-up checks of the WeChat Pay configuration. In production every problem stops the BFF
 * with a message a person can act on; elsewhere (sandbox, test) they are not enforced.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { WechatConfig } from '../../config/channels';

/**
 * wechatpay-skills 接入质量检查 #13, 开发参数与业务规则 §2.9, 回调处理 §一: https, a public host (not
 * localhost / 127.x / 10.x / 172.16–31.x / 192.168.x), no spaces around it, no query. Answers the
 * problem in words, or undefined.
 */
export function callbackUrlProblem(url: string): string | undefined {
  if (url !== url.trim()) return 'has spaces around it (WeChat cannot resolve it)';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:') return 'must be https';
  if (u.search || u.hash || url.includes('?')) return 'must not carry a query string';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || privateAddress(host)) return `must be a public host, not ${host}`;
  return undefined;
}

function privateAddress(host: string): boolean {
  if (net.isIPv4(host)) {
    const [a, b] = host.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (net.isIPv6(host)) return host === '::1' || /^f[cd]/i.test(host) || /^fe80/i.test(host);
  return false;
}

export interface WechatStartupInput {
  publicBaseUrl: string;
  wechat: Pick<WechatConfig, 'callbackBaseUrl' | 'refundNotifyUrl' | 'merchantPrivateKeyFile' | 'medInsTestEnv'>;
}

/** Every reason the WeChat configuration is not fit for production (empty = fine). */
export function wechatProductionProblems(c: WechatStartupInput, statMode: (file: string) => number = (f) => fs.statSync(f).mode): string[] {
  const problems: string[] = [];
  const callbacks: [string, string | undefined][] = [
    ['channels.wechat.callbackBaseUrl (or publicBaseUrl)', c.wechat.callbackBaseUrl ?? c.publicBaseUrl],
    ['channels.wechat.refundNotifyUrl', c.wechat.refundNotifyUrl],
  ];
  for (const [name, url] of callbacks) {
    const p = url === undefined ? undefined : callbackUrlProblem(url);
    if (p) problems.push(`${name} ${p}: WeChat Pay only calls back public https addresses without a query (接入质量检查 #13)`);
  }
  // 接入质量检查 #24, #25: the merchant private key comes from a file only its owner can read
  const file = c.wechat.merchantPrivateKeyFile;
  if (!file) {
    problems.push('channels.wechat.merchantPrivateKeyFile is required in production: keep the merchant API private key in a file, not in the configuration (接入质量检查 #24)');
  } else {
    try {
      const mode = statMode(file);
      if (mode & 0o077) problems.push(`channels.wechat.merchantPrivateKeyFile ${file} is readable by group or others (mode ${(mode & 0o777).toString(8)}): chmod 600 it (接入质量检查 #25)`);
    } catch (err) {
      problems.push(`channels.wechat.merchantPrivateKeyFile ${file} cannot be read: ${(err as Error).message}`);
    }
  }
  // 接入质量检查 #27, 排障手册 §2.6 Q14: a production order sent to the bureau's test platform is lost money
  if (c.wechat.medInsTestEnv) problems.push('channels.wechat.medInsTestEnv must be false in production: real payments would go to the insurance test platform (接入质量检查 #27)');
  return problems;
}

/**
 * Reads channels.wechat.merchantPrivateKeyFile into merchantPrivateKeyPem (before validation):
 * CRLF becomes LF, the PEM header and footer must survive (接入质量检查 #25).
 */
export function readMerchantKeyFile(rawWechat: Record<string, unknown> | undefined): void {
  const file = rawWechat?.merchantPrivateKeyFile;
  if (!rawWechat || typeof file !== 'string' || !file) return;
  const pem = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trim();
  if (!/^-----BEGIN (RSA )?PRIVATE KEY-----\n[\s\S]+\n-----END (RSA )?PRIVATE KEY-----$/.test(pem)) {
    throw new Error(`channels.wechat.merchantPrivateKeyFile ${file} is not a PEM private key (BEGIN/END lines missing)`);
  }
  rawWechat.merchantPrivateKeyPem = `${pem}\n`;
}
