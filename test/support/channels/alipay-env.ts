import { AlipayConfig } from '../../../bff/src/config/channels';
import { createAlipaySandbox, type AlipaySandbox } from '../../../sandbox/alipay/app';
import { alipayBffConfig, alipaySandboxConfig, makeAlipayCredentials, type AlipayCredentials } from '../../../sandbox/alipay/stack';
import { personByKey } from '../../../sandbox/seed/persons';
import { AlipayChannel } from '../../../bff/src/channels/alipay/adapter';
import type { CreatePaymentInput } from '../../../bff/src/channels/port';
import { postJson, serve, startFakeNational, type FakeNational, type Running } from './servers';

export interface AlipayEnv {
  url: string;
  creds: AlipayCredentials;
  cfg: AlipayConfig;
  sandbox: AlipaySandbox;
  national: FakeNational;
  adapter: AlipayChannel;
  close(): Promise<void>;
}

/** The Alipay sandbox on a free port (real HTTP), a fake centre, and an adapter configured for them. */
export async function startAlipayEnv(sandboxOverrides: Record<string, unknown> = {}): Promise<AlipayEnv> {
  const creds = makeAlipayCredentials();
  const national = await startFakeNational();
  const sandbox = createAlipaySandbox({ ...alipaySandboxConfig(creds, national.url), notifyRetryDelaysMs: [100, 200], ...sandboxOverrides });
  const server: Running = await serve(sandbox.app.callback());
  const cfg = AlipayConfig.parse(alipayBffConfig(creds, server.url));
  return {
    url: server.url,
    creds,
    cfg,
    sandbox,
    national,
    adapter: new AlipayChannel(cfg),
    async close() {
      sandbox.close();
      await server.close();
      await national.close();
    },
  };
}

export async function alipayAuthCode(env: AlipayEnv, userId: string | undefined, scopes: string[]): Promise<string> {
  return (await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/auth-code`, { userId, scopes })).authCode;
}

/** A patient whose voucher is already authorized for the app: authCode → payAuthNo. */
export async function authorizeAlipay(env: AlipayEnv, personKey: string): Promise<{ openId: string; payAuthNo: string }> {
  const userId = personByKey(personKey)!.alipayUserId;
  await postJson(`${env.url}/sandbox/dev/authorize-voucher`, { userId });
  const auth = await env.adapter.authorizeInsurance({ openId: userId, authCode: await alipayAuthCode(env, userId, ['nhsamp', 'auth_user']) });
  if (auth.status !== 'authorized') throw new Error('expected an authorization');
  return { openId: userId, payAuthNo: auth.payAuthNo };
}

let seq = 0;
export function alipayPaymentInput(personKey: string, auth: { openId: string; payAuthNo: string }, amounts: CreatePaymentInput['amounts'], notifyUrl: string): CreatePaymentInput {
  const p = personByKey(personKey)!;
  const orderNo = `GH${Date.now()}${String(++seq).padStart(4, '0')}`;
  return {
    orderNo,
    kind: 'registration',
    title: '挂号费 100%+专家',
    openId: auth.openId,
    payAuthNo: auth.payAuthNo,
    payOrdId: `ORD${orderNo}`,
    amounts,
    payer: { name: p.name, idNo: p.idNo },
    createdAt: new Date().toISOString(),
    notifyUrl,
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
  };
}
