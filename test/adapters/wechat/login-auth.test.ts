import { ChannelRejectedError } from '../../../bff/src/channels/port';
import { postJson } from '../../support/channels/servers';
import { startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';

let env: WechatEnv;
beforeAll(async () => {
  env = await startWechatEnv();
});
afterAll(() => env.close());

const loginCode = (openid?: string) => postJson<{ code: string; openid: string }>(`${env.url}/sandbox/dev/login-code`, openid ? { openid } : {});

describe('WeChat login and e-voucher authorization', () => {
  it('turns a wx.login code into the openid and keeps the session key to itself', async () => {
    const { code } = await loginCode('sandbox-zhang');
    const user = await env.adapter.login(code);
    expect(user).toEqual({ openId: 'sandbox-zhang' });
    expect(JSON.stringify(user)).not.toMatch(/session/i);
  });

  it('gives a new anonymous openid when the dev endpoint is asked without one', async () => {
    const { code, openid } = await loginCode();
    expect(openid).toMatch(/^sandbox-anon-/);
    expect((await env.adapter.login(code)).openId).toBe(openid);
  });

  it('refuses a login code used twice with 40163', async () => {
    const { code } = await loginCode('sandbox-wang');
    await env.adapter.login(code);
    await expect(env.adapter.login(code)).rejects.toMatchObject({ name: 'ChannelRejectedError', code: '40163' });
  });

  it('refuses an unknown login code with 40029', async () => {
    await expect(env.adapter.login('nonsense')).rejects.toMatchObject({ code: '40029' });
  });

  it('resolves the authCode through userQuery to a payAuthNo the centre issued, with payer and location', async () => {
    const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: 'sandbox-zhang' });
    const auth = await env.adapter.authorizeInsurance({ openId: 'sandbox-zhang', authCode });
    expect(auth.status).toBe('authorized');
    if (auth.status !== 'authorized') return;
    expect(auth.payAuthNo).toMatch(/^AUTH/);
    expect(env.national.issued.at(-1)).toMatchObject({ payAuthNo: auth.payAuthNo, name: '张建国', idNo: '440106196503122134', channel: 'wechat' });
    expect(auth.payer).toEqual({ name: '张建国', idNo: '440106196503122134', familyPay: false });
    expect(auth.location).toBe('113.264385,23.129112');
  });

  it('refuses an authCode presented for another openid', async () => {
    const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: 'sandbox-zhang' });
    await expect(env.adapter.authorizeInsurance({ openId: 'sandbox-wang', authCode })).rejects.toBeInstanceOf(ChannelRejectedError);
  });

  it('refuses an authCode used twice', async () => {
    const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: 'sandbox-chen' });
    await env.adapter.authorizeInsurance({ openId: 'sandbox-chen', authCode });
    await expect(env.adapter.authorizeInsurance({ openId: 'sandbox-chen', authCode })).rejects.toMatchObject({ code: '2002' });
  });

  it('reports a cancelled authorization as cancelled at the dev endpoint', async () => {
    expect(await postJson(`${env.url}/sandbox/dev/insurance-auth`, { openid: 'sandbox-zhang', outcome: 'cancel' })).toEqual({ cancelled: true });
  });

  it('rejects an answer whose pay authorization number does not start with AUTH', async () => {
    const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: 'sandbox-liu' });
    env.national.payAuthPrefix = 'XYZ';
    try {
      await expect(env.adapter.authorizeInsurance({ openId: 'sandbox-liu', authCode })).rejects.toMatchObject({ code: 'INVALID_PAY_AUTH_NO' });
    } finally {
      env.national.payAuthPrefix = undefined;
    }
  });

  it('refuses a userQuery signed with the wrong partner secret', async () => {
    const { authCode } = await postJson<{ authCode: string }>(`${env.url}/sandbox/dev/insurance-auth`, { openid: 'sandbox-zhang' });
    const { WechatChannel } = await import('../../../bff/src/channels/wechat/adapter');
    const bad = new WechatChannel({ ...env.cfg, mipPartnerSecret: 'wrong' }, { tokens: env.tokens });
    await expect(bad.authorizeInsurance({ openId: 'sandbox-zhang', authCode })).rejects.toMatchObject({ code: '1003' });
  });
});
