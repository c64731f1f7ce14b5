/**
 * Issue 12 items 6–7 at the HIS boundary: the sandbox HIS allows one registration per patient per
 * doctor session (paid or pending), and cancels (退号) a paid registration before its session —
 * through the BFF's HIS adapter over real HTTP.
 */
import { startHis, type RunningHis } from '../../../sandbox/his/testing';
import { HisRejectedError, type HisPort } from '../../../bff/src/his/port';
import { adapterFor, insuredPatient, settlementOf, ZHANG } from '../../support/his-fixtures';

let his: RunningHis;
let port: HisPort;

beforeAll(async () => {
  his = await startHis();
  port = adapterFor(his);
});
afterAll(() => his.stop());
beforeEach(() => his.reset());

/** A slot of tomorrow or later (China time), so its session has not started. */
async function laterSlot(): Promise<string> {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  for (const dept of await port.listDepartments()) {
    for (const d of (await port.listDoctors(dept.code)).filter((x) => x.available)) {
      const s = (await port.listSlots(d.code)).find((x) => x.remaining > 0 && x.date > today);
      if (s) return s.slotId;
    }
  }
  throw new Error('no later slot');
}

async function preSettle(slotId: string, orderNo: string) {
  const p = await insuredPatient(port, ZHANG);
  return port.preSettleRegistration({ ...p, slotId }, { idempotencyKey: orderNo });
}

async function paid(slotId: string, orderNo: string) {
  const ps = await preSettle(slotId, orderNo);
  const s = settlementOf(orderNo, ps);
  await port.writeBackSettlement(s, { idempotencyKey: orderNo });
  return s;
}

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof HisRejectedError ? e.code : e));

describe('one registration per patient per doctor session', () => {
  it('refuses a second pre-settlement of the same session while the first is pending', async () => {
    const slot = await laterSlot();
    await preSettle(slot, 'ORD-R1');
    expect(await refusal(preSettle(slot, 'ORD-R2'))).toBe('ALREADY_REGISTERED');
  });

  it('refuses a second registration of a session already paid for', async () => {
    const slot = await laterSlot();
    await paid(slot, 'ORD-R3');
    expect(await refusal(preSettle(slot, 'ORD-R4'))).toBe('ALREADY_REGISTERED');
  });

  it('answers a repeat of the same order number with the same pre-settlement', async () => {
    const slot = await laterSlot();
    const a = await preSettle(slot, 'ORD-R5');
    expect((await preSettle(slot, 'ORD-R5')).preSettlementId).toBe(a.preSettlementId);
  });

  it('allows a second registration where the hospital turned the rule off', async () => {
    await his.configure({ oneRegistrationPerSession: false });
    const slot = await laterSlot();
    await preSettle(slot, 'ORD-R6');
    await expect(preSettle(slot, 'ORD-R7')).resolves.toMatchObject({ totalFen: expect.any(Number) });
  });
});

describe('退号', () => {
  it('cancels a paid registration, books its whole payment as refunded and frees the place', async () => {
    const slot = await laterSlot();
    const s = await paid(slot, 'ORD-C1');
    const r = await port.cancelRegistration({ orderNo: 'ORD-C1', refundNo: 'ORD-C1TH', reason: '患者退号' }, { idempotencyKey: 'ORD-C1TH' });
    expect(r).toEqual({ outcome: 'cancelled', hisCancelNo: expect.stringMatching(/^TH\d+/), amounts: s.amounts });
    expect((await his.ledger('ORD-C1')).refunds).toEqual([expect.objectContaining({ refundNo: 'ORD-C1TH', totalFen: s.amounts.totalFen })]);
    await expect(preSettle(slot, 'ORD-C2')).resolves.toMatchObject({ totalFen: s.amounts.totalFen });
  });

  it('answers a repeated cancellation with the same one and books nothing twice', async () => {
    await paid(await laterSlot(), 'ORD-C3');
    const q = { orderNo: 'ORD-C3', refundNo: 'ORD-C3TH', reason: '患者退号' };
    const a = await port.cancelRegistration(q, { idempotencyKey: q.refundNo });
    expect(await port.cancelRegistration(q, { idempotencyKey: q.refundNo })).toEqual(a);
    expect((await his.ledger('ORD-C3')).refunds).toHaveLength(1);
  });

  it('refuses 退号 after the cut-off before the session', async () => {
    await his.configure({ cancelCutoffMinutes: 60 * 24 * 30 });
    await paid(await laterSlot(), 'ORD-C4');
    expect(await port.cancelRegistration({ orderNo: 'ORD-C4', refundNo: 'ORD-C4TH', reason: '患者退号' }, { idempotencyKey: 'ORD-C4TH' })).toMatchObject({ outcome: 'rejected', code: 'TOO_LATE' });
    expect((await his.ledger('ORD-C4')).refunds).toEqual([]);
  });

  it('refuses to cancel a registration it never booked', async () => {
    expect(await port.cancelRegistration({ orderNo: 'ORD-NONE', refundNo: 'ORD-NONETH', reason: '患者退号' }, { idempotencyKey: 'ORD-NONETH' })).toMatchObject({ outcome: 'rejected', code: 'NOT_FOUND' });
  });
});
