/**
 * The order-building core every way of ordering shares (the patient's insurance and self-pay
 * orders, a family member's, the kiosk's): idempotent on the client's Idempotency-Key — the same
 * key always answers with the same order; the key is taken before HIS is called so that two
 * concurrent taps pre-settle once — then HIS pre-settlement, the amount checks and the stored order.
 */
import crypto from 'node:crypto';
import { assertFen, chinaStamp, maskIdNumber, maskName, type OrderKind } from '@mip/shared';
import { job } from '../domain/jobs';
import { sumItems, type Order } from '../domain/order';
import { OrderExistsError } from '../store/port';
import { HisRejectedError, HisUnclearError, type PreSettlement } from '../his/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import type { Config } from '../config';
import type { Deps } from './deps';
import { orderHoldingBills, orderHoldingSlot } from './bill-holder';
import { selfPaySplit } from '../domain/self-pay';

export type CreateOrderBody = ({ kind: 'registration'; slotId: string } | { kind: 'outpatient'; billNos: string[] }) & { memberId?: string; payMode?: 'insurance' | 'self' };

/** R/O + yyMMddHHmmss (China time) + 6 random characters: unique, sortable, no personal data. */
export function newOrderNo(kind: OrderKind, now: Date): string {
  const t = chinaStamp(now).slice(2);
  const rand = crypto.randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(6, '0').slice(-6);
  return `${kind === 'registration' ? 'R' : 'O'}${t}${rand}`;
}

function fingerprint(body: CreateOrderBody): string {
  const norm = body.kind === 'registration' ? body : { ...body, billNos: [...body.billNos].sort() };
  return crypto.createHash('sha256').update(JSON.stringify(norm)).digest('hex').slice(0, 16);
}

export function assertIdempotencyKey(idempotencyKey: string): void {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(idempotencyKey)) throw new DomainError('VALIDATION_FAILED', '缺少有效的请求编号，没有扣款。请返回后重新操作');
}

/** What the order-building core uses (also the kiosk's and family members' orders). */
export type BuildOrderDeps = Pick<Deps, 'now' | 'his' | 'orders' | 'pii' | 'idempotency'> & { config: Pick<Config, 'his' | 'unpaidOrderTtlMs'> };

/** Who an order is made for and under which insurance: a mini-program patient or a kiosk visit. */
export interface OrderOwner {
  /** Order.ownerKey: `${channel}:${openId}` or `kiosk:${deviceId}` */
  ownerKey: string;
  /** the scope the Idempotency-Key is unique in (the patient; a kiosk visit) */
  idempotencyScope: string;
  channel: Order['channel'];
  openId?: string;
  by: 'patient' | 'kiosk';
  identitySealed: string;
  hisPatientId: string;
  regionCode: string;
  psnNo: string;
  insutype: string;
  /** a family member the order is for (flows/family.ts) */
  familyMember?: { memberId: string; relation: string };
  /** 'self': 自费, priced by HIS without insurance and paid through the channel alone */
  payMode?: 'self';
}

/**
 * The order-building core both paths share: idempotency, HIS pre-settlement, the amount checks
 * and the stored order with its expiry job. `afterCreate` runs once, for a new order only.
 */
export async function buildOrder(
  deps: BuildOrderDeps,
  owner: OrderOwner,
  body: CreateOrderBody,
  idempotencyKey: string,
  afterCreate: (order: Order, now: Date) => Promise<void>,
): Promise<Order> {
  const now = deps.now();
  let orderNo = newOrderNo(body.kind, now);
  const fp = fingerprint(body);
  const idemKey = { scope: owner.idempotencyScope, key: idempotencyKey };
  const release = () => deps.idempotency.release(idemKey.scope, idemKey.key);
  if (!(await deps.idempotency.claim(idemKey.scope, idemKey.key, claimValue(fp, orderNo, now.getTime()), IDEMPOTENCY_TTL_SECONDS))) {
    const prior = await existingFor(deps, idemKey, fp, staleAfterMs(deps));
    if ('order' in prior) {
      await afterCreate(prior.order, new Date(prior.order.createdAt)); // idempotent (ZADD/SADD): a crash may have skipped it
      return prior.order;
    }
    // the first request died before its order was stored: finish it under the same order number
    // (HIS answers the same pre-settlement for the same key instead of locking the slot/bills again)
    orderNo = prior.takeOver;
  }

  let pre: PreSettlement;
  try {
    const q = owner.payMode === 'self' ? { hisPatientId: owner.hisPatientId, payMode: 'self' as const } : { hisPatientId: owner.hisPatientId, insutype: owner.insutype, psnNo: owner.psnNo };
    pre =
      body.kind === 'registration'
        ? await deps.his.preSettleRegistration({ ...q, slotId: body.slotId }, { idempotencyKey: orderNo })
        : await deps.his.preSettleOutpatient({ ...q, billNos: body.billNos }, { idempotencyKey: orderNo });
  } catch (err) {
    if (err instanceof HisUnclearError || err instanceof PeerError) {
      // HIS may have pre-settled (and locked the slot/bills) under this order number: the next
      // request with the same key takes the number over at once instead of making a second one
      await deps.idempotency.put(idemKey.scope, idemKey.key, claimValue(fp, orderNo, 0), IDEMPOTENCY_TTL_SECONDS);
      throw new DomainError('PEER_UNAVAILABLE');
    }
    await release(); // nothing was created: the same key may be used again
    if (err instanceof HisRejectedError) {
      if (err.code === 'SLOT_UNAVAILABLE') throw new DomainError('SLOT_UNAVAILABLE');
      if (err.code === 'ALREADY_REGISTERED' && body.kind === 'registration') {
        const holder = await orderHoldingSlot(deps, owner.ownerKey, body.slotId);
        throw new DomainError('ALREADY_REGISTERED', undefined, holder ? { orderNo: holder } : undefined);
      }
      // NOT_OWNER is answered like NOT_FOUND: nobody learns that someone else's bill exists
      if (err.code === 'NOT_FOUND' || err.code === 'NOT_OWNER') throw new DomainError(body.kind === 'registration' ? 'NOT_FOUND' : 'BILL_NOT_FOUND');
      const holder = body.kind === 'outpatient' ? await orderHoldingBills(deps, owner.ownerKey, body.billNos) : undefined;
      if (holder) throw new DomainError('BILL_IN_OTHER_ORDER', undefined, { orderNo: holder });
      // HIS's own words may carry its codes and names: the patient gets plain words (PEER_REJECTED's)
      throw new DomainError('PEER_REJECTED', undefined, undefined, err);
    }
    throw err;
  }

  // HIS's own numbers must agree before anything goes to the centre.
  const itemsTotal = sumItems(pre.items);
  assertFen(pre.totalFen);
  if (pre.items.length === 0 || itemsTotal !== pre.totalFen) {
    await release();
    throw new DomainError('AMOUNT_MISMATCH', undefined, { totalFen: pre.totalFen, itemsTotalFen: itemsTotal });
  }
  const est = pre.estimate;
  const estimateOk = est && est.fundFen + est.acctFen + est.cashFen === pre.totalFen && est.fundFen >= 0 && est.acctFen >= 0 && est.cashFen >= 0;

  const identity = deps.pii.open(owner.identitySealed);
  const v = pre.visit;
  const order: Order = {
    orderNo,
    kind: body.kind,
    channel: owner.channel,
    state: 'created',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ownerKey: owner.ownerKey,
    ...(owner.openId !== undefined ? { openId: owner.openId } : {}),
    hisPatientId: owner.hisPatientId,
    regionCode: owner.regionCode,
    psnNo: owner.psnNo,
    insutype: owner.insutype,
    piiSealed: deps.pii.seal(identity),
    patientMasked: { nameMasked: maskName(identity.name), idNoMasked: maskIdNumber(identity.idNo) },
    patientIdHash: deps.pii.lookupHash(identity.idNo),
    ...(owner.familyMember ? { familyMember: owner.familyMember } : {}),
    title: body.kind === 'registration' ? `挂号：${v.deptName} ${v.drName}` : `门诊缴费：${v.deptName} ${pre.items.length}项`,
    detail: {
      department: v.deptName,
      doctor: v.drName,
      visitTime: v.begntime,
      ...(body.kind === 'registration' ? { slotId: body.slotId } : { billNos: body.billNos }),
    },
    preSettlement: { preSettlementId: pre.preSettlementId, visit: v, expiresAt: pre.expiresAt, items: pre.items },
    ...(owner.payMode === 'self'
      ? { payMode: 'self' as const, amounts: selfPaySplit(pre.totalFen), amountsFinal: true }
      : { amounts: estimateOk ? { totalFen: pre.totalFen, ...est } : { totalFen: pre.totalFen, fundFen: 0, acctFen: 0, cashFen: pre.totalFen }, amountsFinal: false }),
    evidence: {},
    refunds: [],
    timeline: [{ at: now.toISOString(), from: 'created', to: 'created', event: owner.payMode === 'self' ? 'HIS 预结算完成，自费订单已创建' : 'HIS 预结算完成，订单已创建', by: owner.by, reason: pre.preSettlementId }],
  };
  try {
    await deps.orders.create(order, [job('order.expire', orderNo, { delayMs: deps.config.unpaidOrderTtlMs })]);
  } catch (err) {
    // a request that took this order number over raced the (slow, not dead) first one: one order
    const stored = err instanceof OrderExistsError ? await deps.orders.get(orderNo) : null;
    if (!stored) throw err;
    await afterCreate(stored, new Date(stored.createdAt));
    return stored;
  }
  await afterCreate(order, now);
  return order;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** `fingerprint:orderNo:startedAtMs` — startedAt 0 marks a number free to be taken over at once. */
function claimValue(fp: string, orderNo: string, startedAtMs: number): string {
  return `${fp}:${orderNo}:${startedAtMs}`;
}

/** A first request still working after this long is taken for dead (it would have timed out on HIS). */
function staleAfterMs(deps: BuildOrderDeps): number {
  return 2 * deps.config.his.timeoutMs + 5000;
}

/**
 * The answer to a repeated Idempotency-Key: the order it made — or, when the first request died
 * between taking the key and storing the order (a killed process, Redis restarting), its order
 * number to finish the work with. Before, such a key answered "still in progress" for 24 hours.
 */
async function existingFor(deps: BuildOrderDeps, idemKey: { scope: string; key: string }, fp: string, staleMs: number): Promise<{ order: Order } | { takeOver: string }> {
  for (let i = 0; i < 50; i++) {
    const v = await deps.idempotency.read(idemKey.scope, idemKey.key);
    if (!v) break;
    const [storedFp, orderNo, startedAt] = v.split(':');
    if (storedFp !== fp) throw new DomainError('IDEMPOTENCY_CONFLICT');
    const order = await deps.orders.get(orderNo);
    if (order) return { order };
    if (deps.now().getTime() - Number(startedAt ?? 0) > staleMs) {
      if (await deps.idempotency.replaceIf(idemKey.scope, idemKey.key, v, claimValue(fp, orderNo, deps.now().getTime()))) return { takeOver: orderNo };
      continue; // someone else took it over: see what they made
    }
    await new Promise((r) => setTimeout(r, 100)); // the first request is still pre-settling
  }
  throw new DomainError('ORDER_STATE_CONFLICT', '上一次请求仍在处理中，请稍后查看订单');
}
