import type { CreatePaymentInput } from '../../../bff/src/channels/port';
import { personByKey } from '../../../sandbox/seed/persons';
import { WechatConfig } from '../../../bff/src/config/channels';
import { createWechatSandbox, type WechatSandbox } from '../../../sandbox/wechat/app';
import { makeWechatCredentials, wechatBffConfig, wechatSandboxConfig, type WechatCredentials } from '../../../sandbox/wechat/stack';
import { MemoryTokenCache } from '../../../bff/src/channels/tokens';
import { WechatChannel } from '../../../bff/src/channels/wechat/adapter';
import { postJson, serve, startFakeNational, type FakeNational, type Running } from './servers';

export interface WechatEnv {
  url: string;
  creds: WechatCredentials;
  cfg: WechatConfig;
  sandbox: WechatSandbox;
  national: FakeNational;
  tokens: MemoryTokenCache;
  adapter: WechatChannel;
  /** a local receiver's http URL as the public https URL WeChat Pay must be given (routed back by the sandbox) */
  publicUrl(localUrl: string): string;
  close(): Promise<void>;
}

/** The WeChat sandbox on a free port (real HTTP), a fake centre, and an adapter configured for them. */
export async function startWechatEnv(sandboxOverrides: Record<string, unknown> = {}): Promise<WechatEnv> {
  const creds = makeWechatCredentials();
  const national = await startFakeNational();
  const sandbox = createWechatSandbox({ ...wechatSandboxConfig(creds, national.url), notifyRetryDelaysMs: [100, 200], refundSettleMs: 0, ...sandboxOverrides });
  const server: Running = await serve(sandbox.app.callback());
  const cfg = WechatConfig.parse(wechatBffConfig(creds, server.url, 'http://127.0.0.1:9'));
  const tokens = new MemoryTokenCache();
  return {
    url: server.url,
    creds,
    cfg,
    sandbox,
    national,
    tokens,
    adapter: new WechatChannel(cfg, { tokens }),
    publicUrl(localUrl: string) {
      const u = new URL(localUrl);
      const origin = `https://cb-${u.port || '80'}.sandbox-hospital.cn`;
      sandbox.routeCallbacks(origin, u.origin);
      return `${origin}${u.pathname}`;
    },
    async close() {
      sandbox.close();
      await server.close();
      await national.close();
    },
  };
}


/** The patient authorizes in the e-voucher mini-program; the adapter turns the authCode into a payAuthNo. */
export async function authorizeWechat(env: WechatEnv, personKey: string): Promise<{ openId: string; payAuthNo: string; location?: string }> {
  const openId = `sandbox-${personKey}`;
  const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: openId });
  const auth = await env.adapter.authorizeInsurance({ openId, authCode });
  if (auth.status !== 'authorized') throw new Error('expected an authorization');
  return { openId, payAuthNo: auth.payAuthNo, location: auth.location };
}

let seq = 0;
export function paymentInput(personKey: string, auth: { openId: string; payAuthNo: string; location?: string }, amounts: CreatePaymentInput['amounts'], notifyUrl: string): CreatePaymentInput {
  const p = personByKey(personKey)!;
  const orderNo = `MZ${Date.now()}${String(++seq).padStart(4, '0')}`;
  return {
    orderNo,
    kind: 'outpatient',
    title: '门诊缴费',
    openId: auth.openId,
    payAuthNo: auth.payAuthNo,
    payOrdId: `ORD${orderNo}`,
    amounts,
    payer: { name: p.name, idNo: p.idNo },
    location: auth.location,
    createdAt: new Date().toISOString(),
    notifyUrl,
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
  };
}
