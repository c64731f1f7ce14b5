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

export type AlipayUserIdType = 'user_id' | 'open_id';
/** Both identifier modes, for tests parametrised over them (describe.each). */
export const ALIPAY_MODES: AlipayUserIdType[] = ['user_id', 'open_id'];

/**
 * The Alipay sandbox on a free port (real HTTP), a fake centre, and an adapter configured for them,
 * both sides in the same user identifier mode.
 */
export async function startAlipayEnv(opts: { userIdType?: AlipayUserIdType; sandbox?: Record<string, unknown> } = {}): Promise<AlipayEnv> {
  const userIdType = opts.userIdType ?? 'user_id';
  const creds = makeAlipayCredentials();
  const national = await startFakeNational();
  const sandbox = createAlipaySandbox({ ...alipaySandboxConfig(creds, national.url), userIdType, notifyRetryDelaysMs: [100, 200], ...opts.sandbox });
  const server: Running = await serve(sandbox.app.callback());
  const cfg = AlipayConfig.parse({ ...alipayBffConfig(creds, server.url), userIdType });
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

/** What the app knows a seed person by in this env's mode: logs in once (user_id, or the app's open_id). */
export async function alipayAppUser(env: AlipayEnv, personKey: string): Promise<string> {
  return (await env.adapter.login(await alipayAuthCode(env, personByKey(personKey)!.alipayUserId, ['auth_base']))).openId;
}

/** A patient whose voucher is already authorized for the app: authCode → payAuthNo. */
export async function authorizeAlipay(env: AlipayEnv, personKey: string): Promise<{ openId: string; payAuthNo: string; medicalCardId?: string }> {
  const userId = personByKey(personKey)!.alipayUserId;
  const openId = await alipayAppUser(env, personKey);
  await postJson(`${env.url}/sandbox/dev/authorize-voucher`, { userId });
  const auth = await env.adapter.authorizeInsurance({ openId, authCode: await alipayAuthCode(env, userId, ['nhsamp', 'auth_user']) });
  if (auth.status !== 'authorized') throw new Error('expected an authorization');
  return { openId, payAuthNo: auth.payAuthNo, ...(auth.medicalCardId ? { medicalCardId: auth.medicalCardId } : {}) };
}

let seq = 0;
export function alipayPaymentInput(personKey: string, auth: { openId: string; payAuthNo: string; medicalCardId?: string }, amounts: CreatePaymentInput['amounts'], notifyUrl: string): CreatePaymentInput {
  const p = personByKey(personKey)!;
  const orderNo = `GH${Date.now()}${String(++seq).padStart(4, '0')}`;
  return {
    orderNo,
    kind: 'registration',
    title: '挂号费 100%+专家,"特需"',
    openId: auth.openId,
    payAuthNo: auth.payAuthNo,
    payOrdId: `ORD${orderNo}`,
    amounts,
    payer: { name: p.name, idNo: p.idNo },
    createdAt: new Date().toISOString(),
    notifyUrl,
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    chrgBchno: `${orderNo}B1`,
    ...(auth.medicalCardId ? { medicalCardId: auth.medicalCardId } : {}),
  };
}
