import { personByKey } from '../../../sandbox/seed/persons';
import { ALIPAY_MODES, alipayAppUser, alipayAuthCode, startAlipayEnv, type AlipayEnv } from '../../support/channels/alipay-env';
import { postJson } from '../../support/channels/servers';

const userOf = (key: string) => personByKey(key)!.alipayUserId;

describe.each(ALIPAY_MODES)('Alipay login and e-voucher authorization (%s mode)', (userIdType) => {
  let env: AlipayEnv;
  beforeAll(async () => {
    env = await startAlipayEnv({ userIdType });
  });
  afterAll(() => env.close());

  it("turns an auth code into the identifier of the app's mode, as the sandbox reports it", async () => {
    const { authCode, appUserId } = await postJson<{ authCode: string; appUserId: string }>(`${env.url}/sandbox/dev/auth-code`, { userId: userOf('zhang'), scopes: ['auth_base'] });
    const { openId } = await env.adapter.login(authCode);
    expect(openId).toBe(appUserId);
    if (userIdType === 'user_id') expect(openId).toBe(userOf('zhang'));
    else expect(openId).not.toMatch(/^2088/);
  });

  it('gives a new user when the dev endpoint is asked without one', async () => {
    const { authCode, userId, appUserId } = await postJson<{ authCode: string; userId: string; appUserId: string }>(`${env.url}/sandbox/dev/auth-code`, { scopes: 'auth_base' });
    expect(userId).toMatch(/^2088/);
    expect((await env.adapter.login(authCode)).openId).toBe(appUserId);
  });

  it('refuses to log in when the app is configured for the other mode than Alipay answers', async () => {
    const { AlipayChannel } = await import('../../../bff/src/channels/alipay/adapter');
    const crossed = new AlipayChannel({ ...env.cfg, userIdType: userIdType === 'user_id' ? 'open_id' : 'user_id' });
    await expect(crossed.login(await alipayAuthCode(env, userOf('zhang'), ['auth_base']))).rejects.toMatchObject({ code: userIdType === 'user_id' ? 'NO_OPEN_ID' : 'NO_USER_ID' });
  });

  it('refuses an auth code used twice with isv.code-invalid', async () => {
    const code = await alipayAuthCode(env, userOf('zhang'), ['auth_base']);
    await env.adapter.login(code);
    await expect(env.adapter.login(code)).rejects.toMatchObject({ name: 'AlipayRejectedError', code: 'isv.code-invalid', gatewayCode: '40002' });
  });

  it('sends the patient to auth_url until the voucher is authorized, then returns the payAuthNo the centre issued', async () => {
    const wang = await alipayAppUser(env, 'wang');
    const first = await env.adapter.authorizeInsurance({ openId: wang, authCode: await alipayAuthCode(env, userOf('wang'), ['nhsamp', 'auth_user']) });
    expect(first).toMatchObject({ status: 'redirect', authUrl: expect.stringContaining('/sandbox/voucher?') });
    await postJson(`${env.url}/sandbox/dev/authorize-voucher`, { userId: userOf('wang') });
    const second = await env.adapter.authorizeInsurance({ openId: wang, authCode: await alipayAuthCode(env, userOf('wang'), ['nhsamp', 'auth_user']) });
    expect(second).toMatchObject({ status: 'authorized', payAuthNo: expect.stringMatching(/^AUTH/), payer: { familyPay: false }, medicalCardId: expect.stringMatching(/^MC/) });
    expect(env.national.issued.at(-1)).toMatchObject({ name: '王秀英', channel: 'alipay' });
  });

  it('refuses an auth code that belongs to another user', async () => {
    const code = await alipayAuthCode(env, userOf('zhang'), ['nhsamp']);
    await expect(env.adapter.authorizeInsurance({ openId: await alipayAppUser(env, 'wang'), authCode: code })).rejects.toMatchObject({ code: 'USER_MISMATCH' });
  });

  it('is refused the e-voucher query without the nhsamp scope', async () => {
    const chen = await alipayAppUser(env, 'chen');
    await postJson(`${env.url}/sandbox/dev/authorize-voucher`, { userId: userOf('chen') });
    await expect(env.adapter.authorizeInsurance({ openId: chen, authCode: await alipayAuthCode(env, userOf('chen'), ['auth_base']) })).rejects.toMatchObject({ code: 'isv.insufficient-user-auths' });
  });

  it('is refused by the gateway when the app key is not the one Alipay knows', async () => {
    const { AlipayChannel } = await import('../../../bff/src/channels/alipay/adapter');
    const crypto = await import('node:crypto');
    const wrong = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bad = new AlipayChannel({ ...env.cfg, appPrivateKeyPem: wrong });
    await expect(bad.login(await alipayAuthCode(env, userOf('zhang'), ['auth_base']))).rejects.toMatchObject({ code: 'isv.invalid-signature' });
  });

  it('refuses an answer signed by a key other than the configured Alipay public key', async () => {
    const { AlipayChannel } = await import('../../../bff/src/channels/alipay/adapter');
    const crypto = await import('node:crypto');
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const bad = new AlipayChannel({ ...env.cfg, alipayPublicKeyPem: other });
    await expect(bad.login(await alipayAuthCode(env, userOf('zhang'), ['auth_base']))).rejects.toMatchObject({ name: 'ChannelSignatureError' });
  });
});
