/**
 * Issue 12: a bill HIS refuses because one of the patient's own unpaid (or still confirming)
 * orders holds it. The patient is sent to that order instead of being told "正在其他订单中支付".
 */
import type { Deps } from './deps';

const HOLDING = ['created', 'fee_uploaded', 'awaiting_payment', 'awaiting_confirmation', 'paid'];

/** The patient's order that holds one of `billNos`, newest first; undefined when none does. */
export async function orderHoldingBills(deps: Pick<Deps, 'orders'>, ownerKey: string, billNos: string[]): Promise<string | undefined> {
  const orders = await deps.orders.getMany(await deps.orders.ownerOrderNos(ownerKey));
  const held = orders.find((o) => HOLDING.includes(o.state) && (o.detail.billNos ?? []).some((b) => billNos.includes(b)));
  return held?.orderNo;
}

/** billNo → the patient's order holding it, for the bills list (each bill links to its holder). */
export async function billHolders(deps: Pick<Deps, 'orders'>, ownerKey: string): Promise<Map<string, string>> {
  const orders = await deps.orders.getMany(await deps.orders.ownerOrderNos(ownerKey));
  const held = new Map<string, string>();
  // newest first, like orderHoldingBills
  for (const o of orders.filter((x) => HOLDING.includes(x.state))) for (const b of o.detail.billNos ?? []) if (!held.has(b)) held.set(b, o.orderNo);
  return held;
}

/** The patient's paid or pending registration for this slot (the one HIS counts against a second booking). */
export async function orderHoldingSlot(deps: Pick<Deps, 'orders'>, ownerKey: string, slotId: string): Promise<string | undefined> {
  const orders = await deps.orders.getMany(await deps.orders.ownerOrderNos(ownerKey));
  return orders.find((o) => [...HOLDING, 'completed'].includes(o.state) && o.detail.slotId === slotId)?.orderNo;
}
