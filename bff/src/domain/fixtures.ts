import type { Order } from './order';

/** A test order in a given state with a consistent split (total 10000 = 6000 + 1500 + 2500). Test-only. */
export function orderFixture(over: Partial<Order> = {}): Order {
  const now = '2026-11-23T02:00:00.000Z';
  return {
    orderNo: 'O261123100000ABCDEF',
    kind: 'outpatient',
    channel: 'wechat',
    state: 'awaiting_payment',
    version: 3,
    createdAt: now,
    updatedAt: now,
    ownerKey: 'wechat:sandbox-zhang',
    openId: 'sandbox-zhang',
    hisPatientId: 'P1',
    regionCode: '440100',
    psnNo: '44000000000000001001',
    insutype: '310',
    piiSealed: 'sealed',
    patientMasked: { nameMasked: '张**', idNoMasked: '440106********2134' },
    patientIdHash: 'hash-of-id',
    title: '门诊缴费：内科 2项',
    detail: {},
    preSettlement: {
      preSettlementId: 'PS1',
      expiresAt: now,
      items: [],
      visit: { iptOtpNo: 'MZ1', deptCode: 'D1', deptName: '内科', caty: 'A03', drCode: 'DR1', drName: '李医生', medType: '11', begntime: '2026-11-23 10:00:00', diseases: [] },
    },
    amounts: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 },
    amountsFinal: true,
    national: { payOrdId: 'ORD1', payToken: 'T1', chrgBchno: 'B1', orgBizSers: ['S1'], ordered: true },
    payment: { channel: 'wechat', channelRef: 'MIX1', outTradeNo: 'O261123100000ABCDEF', createdAt: now, expiresAt: '2099-01-01T00:00:00.000Z' },
    evidence: {},
    refunds: [],
    timeline: [],
    ...over,
  };
}
