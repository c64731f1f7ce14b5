import { getJson, postJson, startReceiver, type Receiver } from '../../support/channels/servers';
import { authorizeWechat, paymentInput, startWechatEnv, type WechatEnv } from '../../support/channels/wechat-env';
import { WechatChannel } from '../../../bff/src/channels/wechat/adapter';
import { BillIntegrityError, parseTradeBill, unpackTradeBill } from '../../../bff/src/channels/wechat/bill';

let env: WechatEnv;
let receiver: Receiver;
beforeAll(async () => {
  env = await startWechatEnv();
  receiver = await startReceiver(async () => ({ status: 204 }));
});
afterAll(async () => {
  await env.close();
  await receiver.close();
});

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function paid(personKey: string, amounts: { totalFen: number; fundFen: number; acctFen: number; cashFen: number }) {
  const auth = await authorizeWechat(env, personKey);
  const q = paymentInput(personKey, auth, amounts, env.publicUrl(`${receiver.url}/notify/wechat/payment`));
  const created = await env.adapter.createPayment(q);
  await postJson(`${env.url}/sandbox/dev/pay`, { openid: auth.openId, ...created.payParams });
  return { orderNo: q.orderNo, mixTradeNo: created.channelRef };
}

describe('WeChat refunds', () => {
  it('refunds the self-pay part once however often the same refund number is sent', async () => {
    const o = await paid('zhang', { totalFen: 6_000, fundFen: 3_000, acctFen: 1_000, cashFen: 2_000 });
    const q = { orderNo: o.orderNo, outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RF${o.orderNo}`, refundFen: 2_000, paidCashFen: 2_000, reason: '退号' };
    const first = await env.adapter.refundCash(q);
    const second = await env.adapter.refundCash(q);
    expect(first.status).toBe('succeeded');
    expect(second).toEqual(first);
    const { refunds } = await getJson<{ refunds: { out_trade_no: string }[] }>(`${env.url}/sandbox/refunds`);
    expect(refunds.filter((r) => r.out_trade_no === o.orderNo)).toHaveLength(1);
  });

  it('refuses a refund larger than what is left to refund', async () => {
    const o = await paid('wang', { totalFen: 3_000, fundFen: 2_000, acctFen: 0, cashFen: 1_000 });
    await env.adapter.refundCash({ orderNo: o.orderNo, outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RA${o.orderNo}`, refundFen: 600, paidCashFen: 1_000, reason: 'x' });
    const r = await env.adapter.refundCash({ orderNo: o.orderNo, outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RB${o.orderNo}`, refundFen: 600, paidCashFen: 1_000, reason: 'x' });
    expect(r).toMatchObject({ status: 'failed', code: 'INVALID_REQUEST' });
  });

  it('marks the mixed order refunded once the insurance refund notice and the self-pay refund are both in', async () => {
    const o = await paid('huang', { totalFen: 5_000, fundFen: 3_000, acctFen: 1_000, cashFen: 1_000 });
    await env.adapter.notifyInsuranceRefund({ outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RI${o.orderNo}`, amounts: { totalFen: 4_000, fundFen: 3_000, acctFen: 1_000 }, refundedAt: new Date().toISOString() });
    await env.adapter.notifyInsuranceRefund({ outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RI${o.orderNo}`, amounts: { totalFen: 4_000, fundFen: 3_000, acctFen: 1_000 }, refundedAt: new Date().toISOString() });
    expect((await env.adapter.queryPayment({ outTradeNo: o.orderNo, channelRef: o.mixTradeNo })).status).toBe('paid');
    await env.adapter.refundCash({ orderNo: o.orderNo, outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RI${o.orderNo}`, refundFen: 1_000, paidCashFen: 1_000, reason: 'x' });
    expect((await env.adapter.queryPayment({ outTradeNo: o.orderNo, channelRef: o.mixTradeNo })).status).toBe('refunded');
  });

  it('sends a REFUND.SUCCESS notification that the adapter reads as a refund', async () => {
    const o = await paid('liu', { totalFen: 2_000, fundFen: 1_000, acctFen: 0, cashFen: 1_000 });
    const before = receiver.received.length;
    const adapter = new WechatChannel({ ...env.cfg, refundNotifyUrl: env.publicUrl(`${receiver.url}/notify/wechat/payment`) }, { tokens: env.tokens });
    await adapter.refundCash({ orderNo: o.orderNo, outTradeNo: o.orderNo, channelRef: o.mixTradeNo, refundNo: `RN${o.orderNo}`, refundFen: 1_000, paidCashFen: 1_000, reason: 'x' });
    const all = await receiver.waitFor(before + 2); // the payment notification and the refund one
    const parsed = await Promise.all(all.slice(before).map((n) => env.adapter.parseNotification(n)));
    expect(parsed.find((n) => n.kind === 'refund')).toMatchObject({ outTradeNo: o.orderNo, refundNo: `RN${o.orderNo}`, status: 'refunded' });
  });
});

describe('WeChat trade bill', () => {
  it('lists the day’s self-pay payments and refunds in fen, keyed by out_trade_no and transaction_id', async () => {
    const a = await paid('zhou', { totalFen: 12_345, fundFen: 10_000, acctFen: 0, cashFen: 2_345 });
    await env.adapter.refundCash({ orderNo: a.orderNo, outTradeNo: a.orderNo, channelRef: a.mixTradeNo, refundNo: `RX${a.orderNo}`, refundFen: 345, paidCashFen: 2_345, reason: 'x' });
    const st = await env.adapter.queryPayment({ outTradeNo: a.orderNo, channelRef: a.mixTradeNo });
    const rows = await env.adapter.downloadBill(today());
    expect(rows.find((r) => r.outTradeNo === a.orderNo && r.kind === 'payment')).toMatchObject({ channel: 'wechat', amountFen: 2_345, cashTradeNo: st.cashTradeNo, status: 'SUCCESS' });
    expect(rows.find((r) => r.outTradeNo === a.orderNo && r.kind === 'refund')).toMatchObject({ amountFen: 345, refundNo: `RX${a.orderNo}` });
  });

  it('carries injected mismatches: a dropped row, a changed amount and an unknown row', async () => {
    const a = await paid('zhang', { totalFen: 1_000, fundFen: 500, acctFen: 0, cashFen: 500 });
    const b = await paid('wang', { totalFen: 1_000, fundFen: 300, acctFen: 0, cashFen: 700 });
    await postJson(`${env.url}/sandbox/bill-mutations`, {
      mutations: [
        { op: 'drop', outTradeNo: a.orderNo },
        { op: 'amount', outTradeNo: b.orderNo, kind: 'payment', amountFen: 701 },
        { op: 'add', outTradeNo: 'STRANGER0001', amountFen: 99 },
      ],
    });
    try {
      const rows = await env.adapter.downloadBill(today());
      expect(rows.some((r) => r.outTradeNo === a.orderNo)).toBe(false);
      expect(rows.find((r) => r.outTradeNo === b.orderNo)?.amountFen).toBe(701);
      expect(rows.find((r) => r.outTradeNo === 'STRANGER0001')?.amountFen).toBe(99);
    } finally {
      await fetch(`${env.url}/sandbox/bill-mutations`, { method: 'DELETE' });
    }
  });

  it('refuses a bill whose SHA1 does not match hash_value', () => {
    const csv = '交易时间,微信订单号,商户订单号,交易状态,订单金额\r\n`2026-01-01 10:00:00,`42001,`MZ1,`SUCCESS,`1.00\r\n';
    const gz = require('node:zlib').gzipSync(Buffer.from(csv)) as Buffer;
    expect(() => unpackTradeBill(gz, 'SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toThrow(BillIntegrityError);
  });

  it('parses yuan cells as decimal text, never through floats', () => {
    const csv = '交易时间,微信订单号,商户订单号,交易状态,订单金额\r\n`2026-01-01 10:00:00,`42001,`MZ1,`SUCCESS,`0.29\r\n总交易单数\r\n`1\r\n';
    expect(parseTradeBill(csv)[0]).toMatchObject({ amountFen: 29, time: '2026-01-01T02:00:00.000Z' });
  });

  it('says NO_STATEMENT_EXIST for a day that has not happened', async () => {
    await expect(env.adapter.downloadBill('2999-01-01')).rejects.toMatchObject({ code: 'NO_STATEMENT_EXIST' });
  });
});
