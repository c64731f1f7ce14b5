import { personByKey } from '../../../sandbox/seed/persons';
import { alipayAuthCode, startAlipayEnv, type AlipayEnv } from '../../support/channels/alipay-env';
import { postJson } from '../../support/channels/servers';

let env: AlipayEnv;
beforeAll(async () => {
  env = await startAlipayEnv();
});
afterAll(() => env.close());

const zhang = personByKey('zhang')!.alipayUserId;

describe('Alipay login and e-voucher authorization', () => {
  it('turns an auth code into the Alipay user id', async () => {
    expect(await env.adapter.login(await alipayAuthCode(env, zhang, ['auth_base']))).toEqual({ openId: zhang });
  });

  it('gives a new user id when the dev endpoint is asked without one', async () => {
    const { authCode, userId } = await postJson<{ authCode: string; userId: string }>(`${env.url}/sandbox/dev/auth-code`, { scopes: 'auth_base' });
    expect(userId).toMatch(/^2088/);
    expect((await env.adapter.login(authCode)).openId).toBe(userId);
  });

  it('refuses an auth code used twice with isv.code-invalid', async () => {
    const code = await alipayAuthCode(env, zhang, ['auth_base']);
    await env.adapter.login(code);
    await expect(env.adapter.login(code)).rejects.toMatchObject({ name: 'AlipayRejectedError', code: 'isv.code-invalid', gatewayCode: '40002' });
  });

  it('sends the patient to auth_url until the voucher is authorized, then returns the payAuthNo the centre issued', async () => {
    const wang = personByKey('wang')!.alipayUserId;
    const first = await env.adapter.authorizeInsurance({ openId: wang, authCode: await alipayAuthCode(env, wang, ['nhsamp', 'auth_user']) });
    expect(first).toMatchObject({ status: 'redirect', authUrl: expect.stringContaining('/sandbox/voucher?') });
    await postJson(`${env.url}/sandbox/dev/authorize-voucher`, { userId: wang });
    const second = await env.adapter.authorizeInsurance({ openId: wang, authCode: await alipayAuthCode(env, wang, ['nhsamp', 'auth_user']) });
    expect(second).toMatchObject({ status: 'authorized', payAuthNo: expect.stringMatching(/^AUTH/), payer: { familyPay: false } });
    expect(env.national.issued.at(-1)).toMatchObject({ name: '王秀英', channel: 'alipay' });
  });

  it('refuses an auth code that belongs to another user', async () => {
    const code = await alipayAuthCode(env, zhang, ['nhsamp']);
    await expect(env.adapter.authorizeInsurance({ openId: personByKey('wang')!.alipayUserId, authCode: code })).rejects.toMatchObject({ code: 'USER_MISMATCH' });
  });

  it('is refused the e-voucher query without the nhsamp scope', async () => {
    const chen = personByKey('chen')!.alipayUserId;
    await postJson(`${env.url}/sandbox/dev/authorize-voucher`, { userId: chen });
    await expect(env.adapter.authorizeInsurance({ openId: chen, authCode: await alipayAuthCode(env, chen, ['auth_base']) })).rejects.toMatchObject({ code: 'isv.insufficient-user-auths' });
  });

  it('is refused by the gateway when the app key is not the one Alipay knows', async () => {
    const { AlipayChannel } = await import('../../../bff/src/channels/alipay/adapter');
    const crypto = await import('node:crypto');
    const wrong = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bad = new AlipayChannel({ ...env.cfg, appPrivateKeyPem: wrong });
    await expect(bad.login(await alipayAuthCode(env, zhang, ['auth_base']))).rejects.toMatchObject({ code: 'isv.invalid-signature' });
  });

  it('refuses an answer signed by a key other than the configured Alipay public key', async () => {
    const { AlipayChannel } = await import('../../../bff/src/channels/alipay/adapter');
    const crypto = await import('node:crypto');
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const bad = new AlipayChannel({ ...env.cfg, alipayPublicKeyPem: other });
    await expect(bad.login(await alipayAuthCode(env, zhang, ['auth_base']))).rejects.toMatchObject({ name: 'ChannelSignatureError' });
  });
});
