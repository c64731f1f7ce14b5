/**
 * 6302 in the TSX form (no ordStas, callType "02"; TSX normalizeMedicalInsuranceSettlementNotification)
 * and old copies: a hint, settled only against the stored 6202 split, otherwise confirmed by 6301.
 */
import { orderFixture } from './fixtures';
import { onSettlementReport, type SettlementPolicy } from './settlement';
import { onInsuranceOrdered } from './payment';

const policy: SettlementPolicy = { settledOrdStas: ['6'], pollBaseMs: 1000, pollMaxMs: 10_000, pollMaxAttempts: 5, writeBackDeadlineMs: 60_000 };
const now = new Date('2026-11-23T02:05:00.000Z');
const amounts = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 };
const tsx = { source: 'notify_6302' as const, payOrdId: 'ORD1', callType: '02', amounts };

describe('settlement hints without ordStas', () => {
  it('settles on a TSX notification whose amounts are the stored 6202 split', () => {
    const c = onSettlementReport(orderFixture(), tsx, policy, now)!;
    expect(c.order.evidence.insuranceSettled?.source).toBe('notify_6302');
    expect(c.order.evidence.insuranceSettled?.ordStas).toBe('callType 02');
  });

  it('asks 6301 when a TSX notification carries another split instead of deciding on it', () => {
    const c = onSettlementReport(orderFixture(), { ...tsx, amounts: { ...amounts, fundFen: 6_001, cashFen: 2_499 } }, policy, now)!;
    expect(c.order.state).toBe('awaiting_confirmation');
    expect(c.order.evidence.insuranceSettled).toBeUndefined();
    expect(c.jobs.map((j) => j.type)).toEqual(['settlement.poll']);
  });

  it('asks 6301 on a notification whose callType is not 02', () => {
    const c = onSettlementReport(orderFixture(), { ...tsx, callType: '01' }, policy, now)!;
    expect(c.order.state).toBe('awaiting_confirmation');
  });

  it('asks 6301 on an authentic copy sealed hours ago instead of settling on it', () => {
    const c = onSettlementReport(orderFixture(), { ...tsx, ordStas: '6', stale: true }, policy, now)!;
    expect(c.order.state).toBe('awaiting_confirmation');
    expect(c.order.evidence.insuranceSettled).toBeUndefined();
  });

  it('decides nothing on an old copy once the order is settled', () => {
    const first = onSettlementReport(orderFixture(), tsx, policy, now)!.order;
    expect(onSettlementReport(first, { ...tsx, stale: true }, policy, now)).toBeNull();
    expect(onSettlementReport(first, tsx, policy, now)).toBeNull();
  });

  it('compares the other-fund and hospital parts too', () => {
    const withParts = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 1_000, otherFundFen: 1_000, hospitalFen: 500 };
    const o = orderFixture({ amounts: withParts });
    expect(onSettlementReport(o, { ...tsx, amounts: withParts }, policy, now)!.order.evidence.insuranceSettled).toBeDefined();
    expect(onSettlementReport(o, { ...tsx, amounts: { ...withParts, hospitalFen: 0, cashFen: 1_500 } }, policy, now)!.order.state).toBe('awaiting_confirmation');
  });
});

describe('6202 split with other-fund and hospital parts', () => {
  const fresh = () => {
    const o = orderFixture({ amounts: { totalFen: 10_000, fundFen: 0, acctFen: 0, cashFen: 10_000 }, amountsFinal: false, state: 'fee_uploaded' });
    o.national!.ordered = false;
    return o;
  };

  it('makes an order payable whose total is cash + account + fund + other fund + hospital part', () => {
    const split = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 1_000, otherFundFen: 1_000, hospitalFen: 500 };
    const c = onInsuranceOrdered(fresh(), { ordStas: '1', split, orgBizSer: 'S1', authorization: { payAuthNo: 'AUTH1' } }, now)!;
    expect(c.order.state).toBe('awaiting_payment');
    expect(c.order.amounts.cashFen).toBe(1_000); // the patient never pays the hospital's 5.00
    expect(c.order.national?.authorization).toEqual({ payAuthNo: 'AUTH1' });
  });

  it('sends to a person a split whose named issue the adapter found', () => {
    const split = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 };
    const c = onInsuranceOrdered(fresh(), { ordStas: '1', split, splitIssue: 'deposit 100 in an outpatient payment', orgBizSer: 'S1' }, now)!;
    expect(c.order.state).toBe('manual_review');
  });
});
