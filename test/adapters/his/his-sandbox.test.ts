import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest, verifyRequest } from '../../../bff/src/security/hmac-request';
import { adapterFor, insuredPatient, preSettledBills, settlementOf, ZHANG } from '../../support/his-fixtures';
import type { HisPort } from '../../../bff/src/his/port';
import { startHis, TEST_CLIENT, type RunningHis } from '../../../sandbox/his/testing';
import type { HisMessageEvent, PushLogEntry } from '../../../sandbox/his/push';

const PUSH = { clientId: 'his-push', secret: 'his-push-secret-0123456789' };

/** A stand-in for the BFF's /his/v1/messages: verifies the HMAC and keeps what it got. */
async function fakeBff(status = 200) {
  const received: HisMessageEvent[] = [];
  const refused: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const v = verifyRequest(req.headers, req.method ?? '', req.url ?? '', body, (id) => (id === PUSH.clientId ? PUSH.secret : undefined), 60_000);
    if (!v.ok || req.url !== '/his/v1/messages') {
      refused.push(v.ok ? `path ${req.url}` : v.failure);
      res.writeHead(v.ok ? 404 : 401).end();
      return;
    }
    received.push(JSON.parse(body.toString('utf8')) as HisMessageEvent);
    res.writeHead(status).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, refused, stop: () => new Promise((r) => server.close(r)) };
}

async function until<T>(probe: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let his: RunningHis;
let port: HisPort;
let bff: Awaited<ReturnType<typeof fakeBff>>;

beforeAll(async () => {
  bff = await fakeBff();
  his = await startHis({ push: { enabled: true, bffUrl: bff.url, ...PUSH, retryDelaysMs: [20, 20] } });
  port = adapterFor(his);
});
afterAll(async () => {
  await his.stop();
  await bff.stop();
});
beforeEach(async () => {
  await his.reset();
  bff.received.length = 0;
});

async function settle(orderNo: string) {
  const s = settlementOf(orderNo, await preSettledBills(port, ZHANG, orderNo));
  return port.writeBackSettlement(s, { idempotencyKey: orderNo });
}

const pushes = (orderNo: string): PushLogEntry[] => his.sandbox.pusher.log.filter((p) => p.orderNo === orderNo);

describe('HIS sandbox: patient message push (C4/C5)', () => {
  it('pushes a signed outpatient_paid event to the BFF after a settlement', async () => {
    const r = await settle('ORD-P1');
    const event = await until(() => bff.received[0]);
    expect(event).toEqual({
      eventId: expect.stringContaining(`-${(r as { hisReceiptNo: string }).hisReceiptNo}`),
      type: 'outpatient_paid',
      orderNo: 'ORD-P1',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      summary: { title: '门诊缴费成功', amountFen: 7850 },
    });
    expect(bff.refused).toEqual([]);
  });

  it('pushes registration_paid after a registration settlement', async () => {
    const p = await insuredPatient(port, ZHANG);
    const slot = (await port.listSlots('D1003')).find((x) => x.remaining > 0)!;
    const ps = await port.preSettleRegistration({ ...p, slotId: slot.slotId }, { idempotencyKey: 'ORD-P0' });
    await port.writeBackSettlement(settlementOf('ORD-P0', ps), { idempotencyKey: 'ORD-P0' });
    expect(await until(() => bff.received[0])).toMatchObject({ type: 'registration_paid', orderNo: 'ORD-P0', summary: { title: '挂号缴费成功', amountFen: 1000 } });
  });

  it('sends the same event twice under a duplicate fault', async () => {
    await his.fault({ op: 'pushMessage', kind: 'duplicate', count: 2 });
    await settle('ORD-P2');
    await until(() => (bff.received.length === 2 ? true : undefined));
    expect(bff.received[0].eventId).toBe(bff.received[1].eventId);
  });

  it('sends nothing under a fail fault', async () => {
    await his.fault({ op: 'pushMessage', kind: 'fail' });
    await settle('ORD-P3');
    await new Promise((r) => setTimeout(r, 150));
    expect(bff.received).toEqual([]);
    expect(pushes('ORD-P3')).toEqual([expect.objectContaining({ status: 'suppressed' })]);
  });

  it('pushes nothing when the write-back was refused', async () => {
    await his.fault({ op: 'writeBack', kind: 'fail' });
    await settle('ORD-P4');
    await new Promise((r) => setTimeout(r, 100));
    expect(pushes('ORD-P4')).toEqual([]);
  });

  it('gives up after its retries when the BFF has no such endpoint', async () => {
    await his.configure({ bffUrl: `${bff.url}/missing` });
    await settle('ORD-P5');
    const entry = await until(() => pushes('ORD-P5').find((p) => p.status === 'gave_up'));
    expect(entry).toMatchObject({ attempts: 3, lastError: 'HTTP 404' });
  });
});

describe('HIS sandbox: protocol', () => {
  it('refuses a mutating call without Idempotency-Key with parameter code 100', async () => {
    const r = await his.api('POST', '/api/refunds', { order_no: 'X', refund_no: 'Y', total_fen: 1, fund_fen: 0, acct_fen: 0, cash_fen: 1 });
    expect(r).toEqual({ status: 400, json: { code: '100', message: expect.stringContaining('Idempotency-Key'), data: null } });
  });

  it('refuses malformed input with parameter code 100 naming the field', async () => {
    const r = await his.api('POST', '/api/trade-check', { trade_no: 'ORD-1', business: 'charge' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: '100', message: expect.stringContaining('business') });
  });

  it('refuses amounts that do not add up with parameter code 101', async () => {
    const body = { order_no: 'ORD-1', refund_no: 'RF-1', total_fen: 100, fund_fen: 10, acct_fen: 0, cash_fen: 0 };
    expect((await his.api('POST', '/api/refunds', body, { 'idempotency-key': 'RF-1' })).json).toMatchObject({ code: '101' });
  });

  it('refuses a replayed signature with code 105', async () => {
    const headers = { ...signRequest(TEST_CLIENT.clientId, TEST_CLIENT.secret, 'GET', '/api/regions') };
    expect((await fetch(`${his.url}/api/regions`, { headers })).status).toBe(200);
    const again = await fetch(`${his.url}/api/regions`, { headers });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ code: '105' });
  });

  it('restores the seed on reset', async () => {
    await settle('ORD-P6');
    expect(await port.listUnpaidBills({ hisPatientId: 'P100001' })).toEqual([]);
    await his.reset();
    expect(await port.listUnpaidBills({ hisPatientId: 'P100001' })).toHaveLength(2);
    expect((await his.ledger()).settlements).toEqual([]);
  });

  it('lets a pre-settlement lock lapse after its time', async () => {
    await his.configure({ preSettlementTtlMs: 50 });
    await preSettledBills(port, ZHANG, 'ORD-P7');
    await new Promise((r) => setTimeout(r, 80));
    await expect(preSettledBills(port, ZHANG, 'ORD-P8')).resolves.toMatchObject({ totalFen: 7850 });
  });
});
