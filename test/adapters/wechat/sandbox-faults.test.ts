import { PeerError } from '../../../bff/src/peers/http-client';
import { WechatChannel } from '../../../bff/src/channels/wechat/adapter';
import { postJson } from '../../support/channels/servers';
import { authorizeWechat, paymentInput, startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';

let env: WechatEnv;
let quick: WechatChannel;
beforeAll(async () => {
  env = await startWechatEnv();
  quick = new WechatChannel({ ...env.cfg, timeoutMs: 400 }, { tokens: env.tokens });
});
afterAll(() => env.close());
afterEach(() => fetch(`${env.url}/sandbox/faults`, { method: 'DELETE' }));

const amounts = { totalFen: 2_000, fundFen: 1_000, acctFen: 500, cashFen: 500 };
const fault = (rule: Record<string, unknown>) => postJson(`${env.url}/sandbox/faults`, rule);

describe('WeChat sandbox faults', () => {
  it('answers the CORS preflight of the dev endpoints for the H5 preview', async () => {
    const res = await fetch(`${env.url}/sandbox/dev/pay`, { method: 'OPTIONS', headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:10086');
  });

  it('times out after creating the order, and the retry finds the order instead of doubling it', async () => {
    const auth = await authorizeWechat(env, 'zhang');
    const q = paymentInput('zhang', auth, amounts, 'https://bff.sandbox-hospital.cn/notify/wechat/payment');
    await fault({ op: 'med-ins-create', kind: 'timeout', after: 'act', key: q.orderNo });
    const err = (await quick.createPayment(q).catch((e: unknown) => e)) as PeerError;
    expect(err).toBeInstanceOf(PeerError);
    expect(err.outcomeUnknown).toBe(true);
    const again = await quick.createPayment(q);
    const { mix_trade_no } = await (await fetch(`${env.url}/sandbox/orders/${q.orderNo}`)).json() as { mix_trade_no: string };
    expect(again.channelRef).toBe(mix_trade_no);
  });

  it('drops the connection before acting: a broken call and no order', async () => {
    const auth = await authorizeWechat(env, 'wang');
    const q = paymentInput('wang', auth, amounts, 'https://bff.sandbox-hospital.cn/notify/wechat/payment');
    await fault({ op: 'med-ins-create', kind: 'drop', key: q.orderNo });
    await expect(quick.createPayment(q)).rejects.toMatchObject({ failure: 'broken' });
    expect((await fetch(`${env.url}/sandbox/orders/${q.orderNo}`)).status).toBe(404);
  });

  it('fails with SYSTEM_ERROR 500 every time when told to, which after the bounded retries is an unknown outcome', async () => {
    await fault({ op: 'med-ins-query', kind: 'fail', status: 500, code: 'SYSTEM_ERROR', times: 3 });
    await expect(quick.queryPayment({ outTradeNo: 'X000001', channelRef: 'X' })).rejects.toMatchObject({ failure: 'http_status', status: 500 });
  });

  it('answers late when told to delay', async () => {
    await fault({ op: 'med-ins-query', kind: 'delay', ms: 150 });
    const started = Date.now();
    await expect(env.adapter.queryPayment({ outTradeNo: 'X000002', channelRef: 'X' })).rejects.toMatchObject({ code: 'ORDER_NOT_EXIST' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails the patient’s payment at the dev endpoint when told to', async () => {
    const auth = await authorizeWechat(env, 'chen');
    const q = paymentInput('chen', auth, amounts, 'https://bff.sandbox-hospital.cn/notify/wechat/payment');
    const created = await env.adapter.createPayment(q);
    await fault({ op: 'pay', kind: 'fail', key: q.orderNo, message: 'network' });
    const res = await postJson<{ errMsg: string }>(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...created.payParams });
    expect(res.errMsg).toBe('requestMedicalInsurancePay:fail network');
  });
});
