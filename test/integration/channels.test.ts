/**
 * Issue 4 through real HTTP, both channels: login, e-voucher authorization, mixed payment with
 * its notification, a lost notification recovered by polling, duplicate and forged
 * notifications, refunds, patient messages, and who may call what.
 */
import crypto from 'node:crypto';
import { hisApi, patientApi as api } from '@mip/shared';
import { WechatpaySide } from '../../sandbox/wechat/crypto';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { WechatPatient } from '../support/patient';
import { HisClient } from '../support/his-client';
import { signRequest } from '../../bff/src/security/hmac-request';
import { waitForJobsIdle, waitForValue } from '../support/wait';

let stack: TestStack;
let his: HisClient;

beforeAll(async () => {
  // every payment has a self-pay part, so both legs are exercised
  // lost notifications are recovered by the background polls, which start once the window has passed
  stack = await testStack({ sandboxConfig: { national: { policy: { accountPaysSelfPart: false } } }, bffConfig: { national: { notifyWindowMs: 2000 } } });
  his = HisClient.of(stack);
}, 120_000);
afterAll(() => stack?.cleanup());
beforeEach(async () => {
  for (const p of ['national', 'wechat', 'alipay'] as const) await stack.faults(p).clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {});
});

/** how many notifications the WeChat sandbox has sent and seen answered (or failed) so far */
async function wechatDeliveries(): Promise<number> {
  return ((await getJson(`${stack.urls.wechat}/sandbox/notifications`)).deliveries as unknown[]).length;
}

async function wechatPatient(key: string) {
  return (await new WechatPatient(stack, key).login()).onboard();
}

describe('Alipay', () => {
  // the Alipay payment, refund and message end to end, in user_id and open_id modes: alipay-modes.test.ts
  it('refuses an Alipay notification with a bad signature and changes nothing', async () => {
    const form = new URLSearchParams({ notify_id: 'forged-1', out_trade_no: 'O2611230000000FORGED', trade_status: 'TRADE_SUCCESS', total_amount: '1.00', sign_type: 'RSA2', sign: 'AAAA' });
    const res = await fetch(`${stack.urls.bff}/notify/alipay/payment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(await res.text()).not.toBe('success');
  });
});

describe('WeChat', () => {
  it('recovers a lost payment notification by polling the channel and the centre', async () => {
    await stack.faults('wechat').add({ op: 'notify', kind: 'drop', times: -1 });
    await stack.faults('national').add({ op: 'notify', kind: 'drop', times: -1 });
    const p = await wechatPatient('zhang');
    const orderNo = await p.payOutpatient();
    // the result page only reads; once the notifications are late the BFF's polls ask WeChat and the centre
    const done = await p.waitForState(orderNo, ['completed']);
    expect(done.state).toBe('completed');
  });

  it('makes one transition out of duplicate notifications from both peers', async () => {
    await stack.faults('wechat').add({ op: 'notify', kind: 'duplicate', count: 5 });
    await stack.faults('national').add({ op: 'notify', kind: 'duplicate', count: 5 });
    const deliveredBefore = await wechatDeliveries();
    const p = await wechatPatient('huang');
    const orderNo = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed']);
    // every copy answered by the BFF and every follow-up job run: nothing more can book it
    await waitForValue('five WeChat copies answered', async () => ((await wechatDeliveries()) - deliveredBefore >= 5 ? true : undefined));
    await waitForJobsIdle(stack.redis.url);
    const l = await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`);
    expect(l.settlements).toHaveLength(1);
    expect(l.orders[orderNo].duplicateBookings).toBe(0);
  });

  it('refuses a forged WeChat notification (wrong key, tampered body, stale, probe) and changes nothing', async () => {
    const p = await wechatPatient('chen');
    await stack.faults('wechat').add({ op: 'notify', kind: 'drop', times: -1 });
    await stack.faults('national').add({ op: 'notify', kind: 'drop', times: -1 });
    await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999' });
    await stack.faults('wechat').add({ op: 'query', kind: 'fail', times: -1 });
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    const { payment } = await p.pay(orderNo);
    await p.confirmInWechat(payment as Record<string, unknown>);
    const entity = await getJson(`${stack.urls.wechat}/sandbox/orders/${orderNo}`);
    const c = stack.credentials.wechat as Record<string, string>;
    const real = new WechatpaySide(c.merchantPublicKeyPem, c.wechatpayPrivateKeyPem, c.wechatpayPublicKeyId, c.apiV3Key);
    const impostor = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const fake = new WechatpaySide(c.merchantPublicKeyPem, impostor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), c.wechatpayPublicKeyId, c.apiV3Key);
    const body = eventBody(real, { ...entity, mix_pay_status: 'MIX_PAY_SUCCESS' });
    const send = (b: string, headers: Record<string, string>) =>
      fetch(`${stack.urls.bff}/notify/wechat/payment`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: b });
    const before = await p.order(orderNo);
    const attempts = [
      send(body, fake.signHeaders(body)), // signed with someone else's key
      send(body.replace('"EV-', '"EX-'), real.signHeaders(body)), // body changed after signing
      send(body, real.signHeaders(body, Math.floor(Date.now() / 1000) - 3600)), // an hour old
      send(body, { ...real.signHeaders(body), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abc' }), // probe
    ];
    for (const r of await Promise.all(attempts)) expect(r.status).toBeGreaterThanOrEqual(400);
    const after = await p.order(orderNo);
    expect(after.state).toBe(before.state);
    expect(after.state).toBe('awaiting_payment');
  });

  it('sends a genuinely signed notification with the wrong amount to manual review', async () => {
    const p = await wechatPatient('wang');
    await stack.faults('wechat').add({ op: 'notify', kind: 'drop', times: -1 });
    await stack.faults('national').add({ op: 'notify', kind: 'drop', times: -1 });
    await stack.faults('national').add({ op: '6301', kind: 'fail', times: -1, code: '9999' });
    await p.authorize();
    const orderNo = await p.createOutpatientOrder();
    await p.pay(orderNo);
    const entity = await getJson(`${stack.urls.wechat}/sandbox/orders/${orderNo}`);
    const c = stack.credentials.wechat as Record<string, string>;
    const real = new WechatpaySide(c.merchantPublicKeyPem, c.wechatpayPrivateKeyPem, c.wechatpayPublicKeyId, c.apiV3Key);
    // a coherent success (all three statuses, 接入质量检查 #10) whose amounts are not ours (#11)
    const body = eventBody(real, { ...entity, mix_pay_status: 'MIX_PAY_SUCCESS', self_pay_status: 'SELF_PAY_SUCCESS', med_ins_pay_status: 'MED_INS_PAY_SUCCESS', wechat_pay_cash_fee: Number(entity.wechat_pay_cash_fee) + 1, total_fee: Number(entity.total_fee) + 1 });
    const r = await fetch(`${stack.urls.bff}/notify/wechat/payment`, { method: 'POST', headers: { 'content-type': 'application/json', ...real.signHeaders(body) }, body });
    expect(r.status).toBeLessThan(300);
    expect((await p.order(orderNo)).state).toBe('manual_review');
  });
});

describe('refunds (C2, M6)', () => {
  it('refunds part of a paid order, then the rest, and never more than was paid', async () => {
    const p = await wechatPatient('zhou');
    const orderNo = await p.payOutpatient();
    const o = await p.waitForState(orderNo, ['completed']);
    const part = { fundFen: Math.floor(o.amounts.fundFen / 2), acctFen: 0, cashFen: Math.floor(o.amounts.cashFen / 2) };
    const r1 = await his.ok(hisApi.createRefund, { body: { orderNo, refundNo: 'RF-ZHOU-1', amounts: part, reason: '退一项检查' } });
    expect(r1.refund.state).toBe('requested');
    await waitRefund(orderNo, 'RF-ZHOU-1');
    const again = await his.ok(hisApi.createRefund, { body: { orderNo, refundNo: 'RF-ZHOU-1', amounts: part, reason: '退一项检查' } });
    expect(again.refund.state).toBe('succeeded'); // same number, same content: the same refund
    const tooMuch = await his.call(hisApi.createRefund, { body: { orderNo, refundNo: 'RF-ZHOU-2', amounts: { fundFen: o.amounts.fundFen, acctFen: 0, cashFen: 0 }, reason: 'x' } });
    expect(tooMuch.status).toBe(422);
    expect((tooMuch.body as unknown as { error: { code: string } }).error.code).toBe('REFUND_EXCEEDS_PAYMENT');
    await his.ok(hisApi.createRefund, { body: { orderNo, refundNo: 'RF-ZHOU-3', all: true, reason: '全部退费' } });
    await waitRefund(orderNo, 'RF-ZHOU-3');
    const final = await p.waitForState(orderNo, ['refunded']);
    const total = final.refunds.reduce((n, r) => n + r.amounts.totalFen, 0);
    expect(total).toBe(final.amounts.totalFen);
    const wx = (await getJson(`${stack.urls.wechat}/sandbox/refunds`)).refunds as { out_trade_no: string; amount: { refund: number } }[];
    expect(wx.filter((r) => r.out_trade_no === orderNo).reduce((n, r) => n + r.amount.refund, 0)).toBe(o.amounts.cashFen);
  });

  it('refuses a refund number reused for other amounts', async () => {
    const p = await wechatPatient('huang');
    const orderNo = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed']);
    await his.ok(hisApi.createRefund, { body: { orderNo, refundNo: 'RF-HUANG-1', amounts: { fundFen: 0, acctFen: 0, cashFen: 1 }, reason: 'x' } });
    const r = await his.call(hisApi.createRefund, { body: { orderNo, refundNo: 'RF-HUANG-1', amounts: { fundFen: 0, acctFen: 0, cashFen: 2 }, reason: 'x' } });
    expect(r.status).toBe(409);
  });

  async function waitRefund(orderNo: string, refundNo: string) {
    for (let i = 0; i < 100; i++) {
      const r = await his.ok(hisApi.getRefund, { params: { orderNo, refundNo } });
      if (r.refund.state === 'succeeded') return r;
      if (['failed', 'manual_review'].includes(r.refund.state)) throw new Error(`refund ${refundNo} ${r.refund.state}`);
      await new Promise((res) => setTimeout(res, 150));
    }
    throw new Error(`refund ${refundNo} did not finish`);
  }
});

describe('patient messages (C4, C5)', () => {
  it('delivers one message per HIS event even when HIS pushes it twice', async () => {
    const p = await wechatPatient('liu');
    const c = stack.credentials.wechat as { templates: { outpatientPaid: string; registrationPaid: string } };
    await postJson(`${stack.urls.wechat}/sandbox/dev/subscribe`, { openid: p.openid, templateIds: [c.templates.outpatientPaid], decision: 'accept' });
    await postJson(`${stack.urls.his}/sandbox/faults`, { op: 'pushMessage', kind: 'duplicate', count: 2 });
    const orderNo = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed']);
    // both HIS pushes answered by the BFF, then every message job run
    await waitForValue('both HIS pushes answered', async () => {
      const pushes = ((await getJson(`${stack.urls.his}/sandbox/pushes`)).pushes as { orderNo: string; status: string }[]).filter((x) => x.orderNo === orderNo);
      return pushes.length === 2 && pushes.every((x) => x.status !== 'pending') ? pushes : undefined;
    });
    await waitForJobsIdle(stack.redis.url);
    const mine = ((await getJson(`${stack.urls.wechat}/sandbox/messages`)).messages as { touser?: string; openid?: string }[]).filter((m) => (m.touser ?? m.openid) === p.openid);
    expect(mine).toHaveLength(1);
  });

  it('records a message to a patient who did not subscribe as undeliverable, without retrying', async () => {
    const p = await wechatPatient('chen');
    const orderNo = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed']);
    const eventId = `EVT-NOSUB-${orderNo}`;
    await his.ok(hisApi.pushMessage, { body: { eventId, type: 'outpatient_paid', orderNo, occurredAt: new Date().toISOString(), summary: { title: '门诊缴费', amountFen: 100 } } });
    let status = '';
    for (let i = 0; i < 50 && status !== 'undeliverable'; i++) {
      await new Promise((r) => setTimeout(r, 150));
      status = (await his.ok(hisApi.messageStatus, { params: { eventId } })).status;
    }
    expect(status).toBe('undeliverable');
    expect((await his.ok(hisApi.messageStatus, { params: { eventId } })).attempts).toBe(1);
  });
});

describe('replayed HIS message pushes', () => {
  it('answers the same signed push sent again as a duplicate, not as a replay, and refuses it with a changed body', async () => {
    const body = { eventId: `EVT-REPLAY-${crypto.randomBytes(4).toString('hex')}`, type: 'outpatient_paid', orderNo: 'O261124000000NOSUCH', occurredAt: new Date().toISOString(), summary: { title: '门诊缴费', amountFen: 100 } };
    const headers = { ...signRequest(his.clientId, hisSecret(), 'POST', hisApi.pushMessage.path, JSON.stringify(body)) };
    const url = `${stack.urls.bff}${hisApi.pushMessage.path}`;
    expect(await postJson(url, body, headers)).toMatchObject({ status: 200, body: { accepted: true, duplicate: false } });
    expect(await postJson(url, body, headers)).toMatchObject({ status: 200, body: { accepted: true, duplicate: true } });
    const changed = await postJson(url, { ...body, summary: { ...body.summary, amountFen: 1 } }, headers);
    expect(changed).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } });
  });

  it('still refuses a replayed refund request as REPLAYED', async () => {
    const body = { orderNo: 'O2611230000000NOPE02', refundNo: 'RF-REPLAY-1', all: true, reason: 'x' };
    const headers = { ...signRequest(his.clientId, hisSecret(), 'POST', hisApi.createRefund.path, JSON.stringify(body)) };
    const url = `${stack.urls.bff}${hisApi.createRefund.path}`;
    expect((await postJson(url, body, headers)).status).toBe(404);
    expect(await postJson(url, body, headers)).toMatchObject({ status: 409, body: { error: { code: 'REPLAYED' } } });
  });
});

function hisSecret(): string {
  return (stack.credentials.his as { hisClientSecret: string }).hisClientSecret;
}

describe('who may call what', () => {
  it("does not let patient A read patient B's order", async () => {
    const a = await wechatPatient('zhang');
    await a.authorize();
    const orderNo = await a.createOutpatientOrder();
    const b = await wechatPatient('wang');
    for (const e of [api.getOrder, api.payOrder, api.cancelOrder]) {
      const r = await b.api.call(e, { params: { orderNo }, body: {} });
      expect(r.status).toBe(404);
    }
  });

  it('refuses HIS endpoints without valid credentials and refuses a replayed request', async () => {
    const body = { orderNo: 'O2611230000000NOPE01', refundNo: 'RF-X-1', all: true, reason: 'x' };
    const anonymous = await postJson(`${stack.urls.bff}/his/v1/refunds`, body);
    expect(anonymous.status).toBe(401);
    const wrong = await new HisClient(stack.urls.bff, his.clientId, 'not-the-secret-at-all').call(hisApi.createRefund, { body });
    expect(wrong.status).toBe(401);
    const p = await wechatPatient('zhou');
    const asPatient = await postJson(`${stack.urls.bff}/his/v1/refunds`, body, { authorization: `Bearer ${p.api.token}` });
    expect(asPatient.status).toBe(401);
  });
});

function eventBody(side: WechatpaySide, plain: Record<string, unknown>): string {
  return JSON.stringify({
    id: `EV-${crypto.randomUUID()}`,
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: 'MEDICAL_INSURANCE.SUCCESS',
    summary: '医保混合收款成功',
    resource: { original_type: 'transaction', ...side.encryptResource(JSON.stringify(plain), 'medical_insurance') },
  });
}
