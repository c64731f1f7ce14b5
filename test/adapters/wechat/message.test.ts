import type { MessageInput } from '../../../bff/src/channels/port';
import { getJson, postJson } from '../../support/channels/servers';
import { startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';

let env: WechatEnv;
beforeAll(async () => {
  env = await startWechatEnv();
});
afterAll(() => env.close());

const msg = (openId: string): MessageInput => ({
  openId,
  template: 'outpatientPaid',
  page: 'pages/order/detail?orderNo=MZ1',
  fields: { title: '门诊缴费', patientNameMasked: '张*国', amountText: '¥25.00', time: '2026-01-01 10:00', note: '请按时就诊' },
});
const subscribe = (openid: string, decision: 'accept' | 'reject') =>
  postJson(`${env.url}/sandbox/dev/subscribe`, { openid, templateIds: [env.cfg.subscribeTemplates.outpatientPaid], decision });

describe('WeChat subscribe messages', () => {
  it('delivers a message the patient subscribed to, with the template keys filled', async () => {
    await subscribe('sandbox-zhang', 'accept');
    const r = await env.adapter.sendMessage(msg('sandbox-zhang'));
    expect(r.status).toBe('sent');
    const { messages } = await getJson<{ messages: { touser: string; data: Record<string, { value: string }> }[] }>(`${env.url}/sandbox/messages`);
    expect(messages.at(-1)).toMatchObject({ touser: 'sandbox-zhang', data: { thing1: { value: '门诊缴费' }, amount3: { value: '¥25.00' } } });
  });

  it('reports 43101 as undeliverable when the patient refused', async () => {
    await subscribe('sandbox-wang', 'reject');
    expect(await env.adapter.sendMessage(msg('sandbox-wang'))).toMatchObject({ status: 'undeliverable', code: '43101' });
  });

  it('spends a one-time subscription on one message', async () => {
    await subscribe('sandbox-chen', 'accept');
    expect((await env.adapter.sendMessage(msg('sandbox-chen'))).status).toBe('sent');
    expect((await env.adapter.sendMessage(msg('sandbox-chen'))).status).toBe('undeliverable');
  });

  it('asks for a retry when WeChat is busy (-1)', async () => {
    await subscribe('sandbox-liu', 'accept');
    await postJson(`${env.url}/sandbox/faults`, { op: 'subscribe-send', kind: 'fail', code: '-1', message: 'system error' });
    expect(await env.adapter.sendMessage(msg('sandbox-liu'))).toMatchObject({ status: 'retry', code: '-1' });
  });

  it('caches the access token and refreshes it once when WeChat says it expired', async () => {
    await subscribe('sandbox-huang', 'accept');
    await subscribe('sandbox-huang', 'accept');
    expect((await env.adapter.sendMessage(msg('sandbox-huang'))).status).toBe('sent');
    const before = await env.tokens.get(`wechat:access_token:${env.cfg.appId}`);
    await postJson(`${env.url}/sandbox/tokens/expire`, {});
    expect((await env.adapter.sendMessage(msg('sandbox-huang'))).status).toBe('sent');
    const after = await env.tokens.get(`wechat:access_token:${env.cfg.appId}`);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });
});
