/**
 * The fault suite's final check (test/support/fault-suite.ts): the money as every party has it —
 * the HIS ledger, the centre, WeChat Pay and Alipay — against our orders in Redis.
 */
import { isFinal, yuanToFen, type OrderState } from '@mip/shared';
import type { Order } from '../../bff/src/domain/order';
import { http } from './fault-patient';
import type { TestStack } from './stack';

export const PAID_STATES: OrderState[] = ['completed', 'partially_refunded', 'refunded', 'reversed'];
export const SETTLED_AT_CENTRE = ['6', '7', '8', '9', '10', '11'];

interface CentreOrderView {
  payOrdId: string;
  medOrgOrd: string;
  ordStas: string;
  split?: { totalFen: number; fundFen: number; acctFen: number; cashFen: number };
  /** 6202 othFeeAmt / hospPartAmt (SYN Trade6202OutData), when the centre answered them */
  extra?: { othFeeFen: number; hospPartFen: number; acctMulaidFen: number };
  refunds: { appRefdSn: string; amounts: { fundFen: number; acctFen: number; cashFen: number } }[];
}

/**
 * The money as every party has it, against our orders. Orders with a person (manual review) are
 * left to them, except that nothing may ever be booked twice or refunded beyond what was paid.
 */
export async function checkMoney(stack: TestStack, orders: Map<string, Order>, known: Set<string>) {
  const problems: string[] = [];
  let stuck = 0;
  let doubles = 0;
  let lost = 0;
  let overRefunds = 0;
  let mismatches = 0;
  const mismatch = (m: string) => (mismatches++, problems.push(m));

  const ledger = (await http('GET', `${stack.urls.his}/sandbox/ledger`)).body as {
    orders: Record<string, { settlements: number; duplicateBookings: number; reversals: number }>;
  };
  const centre = ((await http('GET', `${stack.urls.national}/sandbox/orders`)).body.orders as CentreOrderView[]).filter((c) => c.medOrgOrd);
  // after an unanswered 6201 the next upload goes out as `${orderNo}R1` (domain/payment.ts feeUploadKeys):
  // the order's own centre order is the one whose payOrdId it holds
  const orderNoOf = (medOrgOrd: string) => medOrgOrd.replace(/R\d+$/, '');
  const centreByPay = new Map(centre.map((c) => [c.payOrdId, c]));
  const centreByOrder = new Map([...orders.values()].flatMap((o) => {
    const c = o.national ? centreByPay.get(o.national.payOrdId) : centre.find((x) => x.medOrgOrd === o.orderNo);
    return c ? [[o.orderNo, c] as const] : [];
  }));
  const wechat = (await http('GET', `${stack.urls.wechat}/sandbox/orders`)).body.orders as Record<string, any>[];
  const wechatRefunds = (await http('GET', `${stack.urls.wechat}/sandbox/refunds`)).body.refunds as { out_trade_no: string; status: string; amount: { refund: number } }[];
  const alipay = (await http('GET', `${stack.urls.alipay}/sandbox/orders`)).body.orders as Record<string, any>[];
  const wechatBy = new Map(wechat.map((w) => [String(w.out_trade_no), w]));
  const alipayBy = new Map(alipay.map((a) => [String(a.out_trade_no), a]));
  // channel amounts in yuan strings: parsed as decimals, never through floats
  const fen = (yuan: unknown) => (yuan === undefined || yuan === null || yuan === '' ? 0 : yuanToFen(String(yuan)));

  for (const n of known) if (!orders.has(n)) (lost++, problems.push(`lost: order ${n} was answered to a patient but is not in Redis`));
  for (const c of centre) if (!orders.has(c.medOrgOrd) && !orders.has(orderNoOf(c.medOrgOrd))) (lost++, problems.push(`lost: the centre has ${c.medOrgOrd} (${c.payOrdId}, ordStas ${c.ordStas}) and we do not`));
  const ours = new Set([...orders.values()].flatMap((o) => [o.orderNo, ...(o.payment ? [o.payment.outTradeNo] : [])]));
  for (const out of wechatBy.keys()) if (!ours.has(out)) (lost++, problems.push(`lost: WeChat has ${out} and we do not`));
  for (const out of alipayBy.keys()) if (!ours.has(out)) (lost++, problems.push(`lost: Alipay has ${out} and we do not`));

  for (const o of orders.values()) {
    const s = o.state;
    const review = s === 'manual_review';
    if (!isFinal(s) && !review) (stuck++, problems.push(`stuck: ${o.orderNo} is ${s}`));

    // HIS: one settlement at most, ever
    const l = ledger.orders[o.orderNo];
    if (l && (l.settlements > 1 || l.duplicateBookings > 0)) (doubles++, problems.push(`double booking in HIS: ${o.orderNo} settlements=${l.settlements} duplicates=${l.duplicateBookings}`));

    // refunds never exceed the payment (ours, the centre's, the channel's)
    const live = o.refunds.filter((r) => r.state !== 'failed');
    for (const k of ['fundFen', 'acctFen', 'cashFen'] as const) {
      const sum = live.reduce((t, r) => t + r.amounts[k], 0);
      if (sum > o.amounts[k]) (overRefunds++, problems.push(`over-refund: ${o.orderNo} ${k} refunded ${sum} of ${o.amounts[k]}`));
    }
    const c = centreByOrder.get(o.orderNo);
    if (c?.split) {
      const back = c.refunds.reduce((t, r) => ({ fundFen: t.fundFen + r.amounts.fundFen, acctFen: t.acctFen + r.amounts.acctFen, cashFen: t.cashFen + r.amounts.cashFen }), { fundFen: 0, acctFen: 0, cashFen: 0 });
      for (const k of ['fundFen', 'acctFen', 'cashFen'] as const) if (back[k] > c.split[k]) (overRefunds++, problems.push(`over-refund at the centre: ${o.orderNo} ${k}`));
    }
    const channelCash = channelCashOf(o, wechatBy, alipayBy, wechatRefunds, fen);
    if (channelCash && channelCash.refunded > channelCash.paid) (overRefunds++, problems.push(`over-refund in ${o.channel}: ${o.orderNo} ${channelCash.refunded} of ${channelCash.paid}`));
    if (review) continue;

    // HIS books exactly the orders that are paid and not reversed
    const booked = l?.settlements ?? 0;
    if (['completed', 'partially_refunded', 'refunded'].includes(s) && booked !== 1) mismatch(`HIS: ${o.orderNo} is ${s} but HIS has ${booked} settlements`);
    if (['cancelled', 'failed', 'reversed'].includes(s) && booked !== 0) mismatch(`HIS: ${o.orderNo} is ${s} but HIS booked it`);

    // the centre: settled exactly when we say paid, for the amounts we hold; a HIS reversal (冲正)
    // of the insurance part shows there as 13 医保已撤销
    const paid = PAID_STATES.includes(s);
    const insurance = o.amounts.fundFen + o.amounts.acctFen;
    const allowed = s === 'reversed' ? (insurance > 0 ? ['7', '8', '9', '10', '11', '13'] : [...SETTLED_AT_CENTRE, '13']) : paid ? SETTLED_AT_CENTRE : null;
    const fits = allowed ? !!c && allowed.includes(c.ordStas) : !c || ![...SETTLED_AT_CENTRE, '13'].includes(c.ordStas);
    if (!fits) mismatch(`centre: ${o.orderNo} is ${s} here, ordStas ${c?.ordStas ?? 'none'} there`);
    if (paid && c?.split && !sameSplit(c, o)) mismatch(`centre: ${o.orderNo} split ${JSON.stringify({ ...c.split, ...c.extra })} vs ours ${JSON.stringify(o.amounts)}`);
    // insurance refunded through the centre (6203) — a HIS reversal (冲正) returns it through HIS instead
    const viaHis = o.reversal?.steps.some((st) => st.step === 'his_reversal' && st.outcome === 'done');
    const ourIns = o.refunds.filter((r) => r.state === 'succeeded' && !(r.requestedBy === 'reversal' && viaHis)).reduce((t, r) => t + r.amounts.fundFen + r.amounts.acctFen, 0);
    const theirIns = (c?.refunds ?? []).filter((r) => !r.appRefdSn.endsWith('C')).reduce((t, r) => t + r.amounts.fundFen + r.amounts.acctFen, 0);
    if (ourIns !== theirIns) mismatch(`centre: ${o.orderNo} insurance refunded ${theirIns} there, ${ourIns} here`);
    if (viaHis && !(l && l.reversals >= 1)) mismatch(`HIS: ${o.orderNo} reversal done here but not in the HIS ledger`);

    // the channel: self-pay collected exactly when paid, refunds as ours
    if (channelCash) {
      const ourCash = o.refunds.filter((r) => r.state === 'succeeded').reduce((t, r) => t + r.amounts.cashFen, 0);
      if (paid && o.amounts.cashFen > 0 && channelCash.paid !== o.amounts.cashFen) mismatch(`${o.channel}: ${o.orderNo} collected ${channelCash.paid}, we hold ${o.amounts.cashFen}`);
      if (!paid && channelCash.paid - channelCash.refunded !== 0) mismatch(`${o.channel}: ${o.orderNo} is ${s} but ${channelCash.paid - channelCash.refunded} fen stay collected`);
      if (paid && channelCash.refunded !== ourCash) mismatch(`${o.channel}: ${o.orderNo} refunded ${channelCash.refunded} there, ${ourCash} here`);
    }
  }
  return { problems, stuck, doubles, lost, overRefunds, mismatches };
}

/**
 * The centre's split against ours, every part: its ownPayAmt includes the hospital-borne part
 * (hospPartAmt), which we never charge the patient (TSX medicalInsurancePaymentBreakdown), and its
 * other fund (othFeeAmt) is ours too; so the patient pays the centre's cash less the hospital's part.
 */
function sameSplit(c: CentreOrderView, o: Order): boolean {
  const hosp = c.extra?.hospPartFen ?? 0;
  const other = c.extra?.othFeeFen ?? 0;
  return (
    c.split!.totalFen === o.amounts.totalFen &&
    c.split!.fundFen === o.amounts.fundFen &&
    c.split!.acctFen === o.amounts.acctFen &&
    c.split!.cashFen - hosp === o.amounts.cashFen &&
    hosp === (o.amounts.hospitalFen ?? 0) &&
    other === (o.amounts.otherFundFen ?? 0)
  );
}

function channelCashOf(
  o: Order,
  wechatBy: Map<string, Record<string, any>>,
  alipayBy: Map<string, Record<string, any>>,
  wechatRefunds: { out_trade_no: string; status: string; amount: { refund: number } }[],
  fen: (y: unknown) => number,
): { paid: number; refunded: number } | null {
  const out = o.payment?.outTradeNo;
  if (!out) return null;
  if (o.payment!.channel === 'wechat') {
    const w = wechatBy.get(out);
    if (!w) return { paid: 0, refunded: 0 };
    const tradeState = w.transaction?.trade_state;
    const paid = tradeState === 'SUCCESS' || tradeState === 'REFUND' || ['MIX_PAY_SUCCESS', 'MIX_PAY_REFUND'].includes(w.mix_pay_status) ? Number(w.wechat_pay_cash_fee ?? 0) : 0;
    const refunded = wechatRefunds.filter((r) => r.out_trade_no === out && r.status === 'SUCCESS').reduce((t, r) => t + r.amount.refund, 0);
    return { paid, refunded };
  }
  if (o.payment!.channel === 'alipay') {
    const a = alipayBy.get(out);
    if (!a) return { paid: 0, refunded: 0 };
    const paid = ['SUCCESS', 'REFUND'].includes(String(a.own_pay_status)) ? fen(a.real_amount) : 0;
    const refunded = (a.refunds as { amountFen: number }[]).reduce((t, r) => t + r.amountFen, 0);
    return { paid, refunded };
  }
  return null;
}
