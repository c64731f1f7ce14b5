import { PeerError } from '../../../bff/src/peers/http-client';
import { AlipayChannel } from '../../../bff/src/channels/alipay/adapter';
import { postJson } from '../../support/channels/servers';
import { alipayPaymentInput, authorizeAlipay, startAlipayEnv, type AlipayEnv } from '../../support/channels/alipay-env';

let env: AlipayEnv;
let quick: AlipayChannel;
beforeAll(async () => {
  env = await startAlipayEnv();
  quick = new AlipayChannel({ ...env.cfg, timeoutMs: 400 });
});
afterAll(() => env.close());
afterEach(() => fetch(`${env.url}/sandbox/faults`, { method: 'DELETE' }));

const amounts = { totalFen: 2_000, fundFen: 1_000, acctFen: 500, cashFen: 500 };

describe('Alipay sandbox faults', () => {
  it('times out after creating the trade, and the retry gets the same trade back', async () => {
    const auth = await authorizeAlipay(env, 'zhang');
    const q = alipayPaymentInput('zhang', auth, amounts, 'http://127.0.0.1:9/notify');
    await postJson(`${env.url}/sandbox/faults`, { op: 'trade.createandpay', kind: 'timeout', after: 'act', key: q.orderNo });
    const err = (await quick.createPayment(q).catch((e: unknown) => e)) as PeerError;
    expect(err).toBeInstanceOf(PeerError);
    expect(err.outcomeUnknown).toBe(true);
    const again = await quick.createPayment(q);
    const { trade_no } = await (await fetch(`${env.url}/sandbox/orders/${q.orderNo}`)).json() as { trade_no: string };
    expect(again.channelRef).toBe(trade_no);
  });

  it('answers a signed 20000 error when told to fail, which the refund reads as unknown', async () => {
    await postJson(`${env.url}/sandbox/faults`, { op: 'trade.refund', kind: 'fail' });
    await expect(env.adapter.refundCash({ orderNo: 'A', outTradeNo: 'A', channelRef: 'B', refundNo: 'R1', refundFen: 1, paidCashFen: 1, reason: 'x' })).rejects.toMatchObject({
      gatewayCode: '20000',
    });
  });

  it('answers unreadable text when told to be ambiguous, an unknown outcome for the caller', async () => {
    await postJson(`${env.url}/sandbox/faults`, { op: 'trade.query', kind: 'ambiguous' });
    await expect(env.adapter.queryPayment({ outTradeNo: 'A', channelRef: '' })).rejects.toMatchObject({ name: 'PeerError', failure: 'broken' });
  });

  it('sends duplicate notifications with one notify_id when told to', async () => {
    const got: string[] = [];
    const { startReceiver } = await import('../../support/channels/servers');
    const receiver = await startReceiver(async (n) => {
      got.push((await env.adapter.parseNotification(n)).eventId);
      return env.adapter.ackNotification(true);
    });
    try {
      const auth = await authorizeAlipay(env, 'wang');
      const q = alipayPaymentInput('wang', auth, amounts, `${receiver.url}/notify`);
      const c = await env.adapter.createPayment(q);
      await postJson(`${env.url}/sandbox/faults`, { op: 'notify', kind: 'duplicate', count: 2, key: q.orderNo });
      await postJson(`${env.url}/sandbox/dev/pay`, { tradeNo: c.channelRef, outcome: 'ok' });
      await receiver.waitFor(2);
      expect(got).toHaveLength(2);
      expect(got[0]).toBe(got[1]);
    } finally {
      await receiver.close();
    }
  });
});
