/**
 * The sandbox HIS settlement ledger: write-back (结算信息同步), reversal (冲正), refund and the
 * trade-check (事务补偿查询) that tells a caller what was booked.
 *
 * Write-back is NOT idempotent unless configured: like many real HIS products, a second
 * write-back of the same order books a second settlement (flagged `duplicate` in the ledger).
 */
import { cnDateTime } from './clock';
import type { AmountsIn, WriteBackIn } from './inputs';
import { CODES, HisFailure, refuse } from './protocol';
import { findSlot } from './schedule';
import type { Amounts, HisWorld, RefundRec, ReversalRec, SettlementRec } from './world';

function amounts(a: AmountsIn): Amounts {
  // total = fund + account + cash + other fund + hospital part (TSX assertValidMedicalInsuranceAmounts; hospPartAmt off the cash)
  if (a.fund_fen + a.acct_fen + a.cash_fen + (a.oth_fee_fen ?? 0) + (a.hosp_part_fen ?? 0) !== a.total_fen) {
    throw new HisFailure(CODES.PARAM_VALUE, '参数错误：统筹、个账、现金、其他基金、医院负担金额之和不等于总金额');
  }
  return { totalFen: a.total_fen, fundFen: a.fund_fen, acctFen: a.acct_fen, cashFen: a.cash_fen };
}

export interface WriteBackResult {
  data: { receipt_no: string; booked_at: string };
  /** the settlement booked by this call; undefined when an idempotent repeat booked nothing */
  booked?: SettlementRec;
}

export function writeBack(world: HisWorld, input: WriteBackIn, opts: { idempotent: boolean }, now = Date.now()): WriteBackResult {
  const money = amounts(input);
  const earlier = world.settlementsOf(input.order_no);
  if (opts.idempotent && earlier[0]) return { data: { receipt_no: earlier[0].receiptNo, booked_at: earlier[0].bookedAt } };
  world.expireLocks(now);
  const ps = world.preSettlements.get(input.pre_settlement_id);
  if (!ps || ps.status === 'released') throw refuse(CODES.PRESETTLEMENT_GONE, '预结算不存在或已撤销，不能结算');
  if (money.totalFen !== ps.totalFen) throw refuse(CODES.AMOUNT_MISMATCH, `结算总金额与预结算金额不符（预结算 ${ps.totalFen} 分）`);
  // 自费: all cash and no centre order; otherwise the centre's order is required
  if (ps.payMode === 'self' && (money.fundFen + money.acctFen > 0 || input.pay_ord_id)) throw new HisFailure(CODES.PARAM_VALUE, '参数错误：自费结算不能有医保金额或医保订单号');
  if (ps.payMode !== 'self' && !input.pay_ord_id) throw new HisFailure(CODES.PARAM, '参数错误：缺少 pay_ord_id');
  if (ps.kind === 'outpatient') {
    for (const no of ps.billNos) {
      const bill = world.bills.get(no);
      const paidByOther = bill?.paidBy && world.settlements.find((s) => s.receiptNo === bill.paidBy)?.preSettlementId !== ps.id;
      const lockedByOther = world.billLock(no) && world.billLock(no) !== ps;
      if (!bill || paidByOther || lockedByOther) throw refuse(CODES.BILL_UNAVAILABLE, `处方/申请单 ${no} 已在其他订单中缴费或锁定`);
    }
  }
  if (ps.kind === 'registration' && ps.status === 'expired' && ps.slotId) {
    // the lock lapsed before payment came back: book only if the slot still has room
    let remaining = 0;
    try {
      remaining = findSlot(world, ps.slotId, now).remaining;
    } catch {
      remaining = 0;
    }
    if (remaining <= 0) throw refuse(CODES.SLOT_UNAVAILABLE, '预结算已过期，号源已约满或已停诊');
  }
  const bookedAt = cnDateTime(now);
  const rec: SettlementRec = {
    ...money,
    receiptNo: world.nextNo('SJ', now),
    orderNo: input.order_no,
    preSettlementId: ps.id,
    kind: ps.kind,
    patientId: ps.patientId,
    payOrdId: input.pay_ord_id ?? '',
    channel: input.channel,
    traceTime: input.trace_time,
    ...(input.setl_id ? { setlId: input.setl_id } : {}),
    ...(input.mdtrt_id ? { mdtrtId: input.mdtrt_id } : {}),
    ...(input.cash_trade_no ? { cashTradeNo: input.cash_trade_no } : {}),
    bookedAt,
    duplicate: earlier.length > 0,
    refundedFen: 0,
  };
  world.settlements.push(rec);
  ps.status = 'settled';
  // a double booking registers the patient twice: it takes a second place in the slot
  if (ps.slotId) world.slotBookings.set(ps.slotId, (world.slotBookings.get(ps.slotId) ?? 0) + 1);
  for (const no of ps.billNos) {
    const bill = world.bills.get(no);
    if (bill && !bill.paidBy) bill.paidBy = rec.receiptNo;
  }
  return { data: { receipt_no: rec.receiptNo, booked_at: bookedAt }, booked: rec };
}

export function reverse(
  world: HisWorld,
  orderNo: string,
  input: AmountsIn & { pay_ord_id: string; revs_token?: string },
  opts: { supported: boolean },
  now = Date.now(),
) {
  if (!opts.supported) throw refuse(CODES.REVERSAL_NOT_SUPPORTED, '本院HIS不支持医保冲正交易，请发起医保退费');
  const money = amounts(input);
  const done = world.reversals.find((r) => r.orderNo === orderNo);
  if (done) return { reversal_no: done.reversalNo };
  if (world.settlementsOf(orderNo).length > 0) throw refuse(CODES.ALREADY_SETTLED, '该订单已在HIS结算，不能冲正，请办理退费');
  const rec: ReversalRec = {
    ...money,
    reversalNo: world.nextNo('CZ', now),
    orderNo,
    payOrdId: input.pay_ord_id,
    ...(input.revs_token ? { revsToken: input.revs_token } : {}),
    reversedAt: cnDateTime(now),
  };
  world.reversals.push(rec);
  // whatever the order still held is let go
  for (const ps of world.preSettlements.values()) if (ps.key === orderNo && ps.status !== 'settled') ps.status = 'released';
  return { reversal_no: rec.reversalNo };
}

export function refund(world: HisWorld, input: AmountsIn & { order_no: string; refund_no: string }, now = Date.now()) {
  const money = amounts(input);
  const done = world.refunds.find((r) => r.refundNo === input.refund_no);
  if (done) return { refund_receipt_no: done.refundReceiptNo };
  const settlement = world.settlementsOf(input.order_no)[0];
  if (!settlement) throw refuse(CODES.SETTLEMENT_NOT_FOUND, '原结算记录不存在');
  if (settlement.refundedFen + money.totalFen > settlement.totalFen) throw refuse(CODES.REFUND_EXCEEDS, '退费金额超过可退金额');
  const rec: RefundRec = {
    ...money,
    refundReceiptNo: world.nextNo('TF', now),
    orderNo: input.order_no,
    refundNo: input.refund_no,
    settlementReceiptNo: settlement.receiptNo,
    refundedAt: cnDateTime(now),
  };
  world.refunds.push(rec);
  settlement.refundedFen += money.totalFen;
  const ps = world.preSettlements.get(settlement.preSettlementId);
  if (ps?.slotId && settlement.refundedFen === settlement.totalFen) {
    // 退号: the place goes back to the slot
    world.slotBookings.set(ps.slotId, Math.max(0, (world.slotBookings.get(ps.slotId) ?? 0) - 1));
  }
  return { refund_receipt_no: rec.refundReceiptNo };
}

export function tradeCheck(world: HisWorld, input: { trade_no: string; business: 'settlement' | 'reversal' | 'refund'; refund_no?: string }) {
  const notFound = { reconciliation_no: 'notfound' };
  if (input.business === 'settlement') {
    const s = world.settlementsOf(input.trade_no)[0];
    return s ? { reconciliation_no: s.receiptNo, trade_time: s.bookedAt } : notFound;
  }
  if (input.business === 'reversal') {
    const r = world.reversals.find((x) => x.orderNo === input.trade_no);
    return r ? { reconciliation_no: r.reversalNo, trade_time: r.reversedAt } : notFound;
  }
  if (!input.refund_no) throw new HisFailure(CODES.PARAM, '参数错误：refund_no 为退费查询必填');
  const r = world.refunds.find((x) => x.refundNo === input.refund_no && x.orderNo === input.trade_no);
  return r ? { reconciliation_no: r.refundReceiptNo, trade_time: r.refundedAt } : notFound;
}

/** GET /sandbox/ledger: everything booked, with per-order counts that expose double bookings. */
export function ledgerView(world: HisWorld, orderNo?: string) {
  const pick = <T extends { orderNo: string }>(xs: T[]) => (orderNo ? xs.filter((x) => x.orderNo === orderNo) : xs);
  const settlements = pick(world.settlements);
  const reversals = pick(world.reversals);
  const refunds = pick(world.refunds);
  const orders: Record<string, { settlements: number; duplicateBookings: number; reversals: number; refunds: number }> = {};
  const of = (no: string) => (orders[no] ??= { settlements: 0, duplicateBookings: 0, reversals: 0, refunds: 0 });
  for (const s of settlements) {
    of(s.orderNo).settlements++;
    if (s.duplicate) of(s.orderNo).duplicateBookings++;
  }
  for (const r of reversals) of(r.orderNo).reversals++;
  for (const r of refunds) of(r.orderNo).refunds++;
  return { settlements, reversals, refunds, orders };
}
