/**
 * One order attempt = one Idempotency-Key. The key is stored per selection (the slot, or the set of
 * bills) before POST /api/orders, so a re-render, a double tap, a re-entry or a restart sends the
 * same key and the BFF returns the same order. A new key is made only when the earlier attempt's
 * order can no longer be paid (cancelled, failed, reversed) or after a day.
 */
import type { OrderView } from '@mip/shared/src/contract/schemas';
import type { BodyFor } from './api';
import { ApiError, call } from './api';
import * as storage from './storage';

type CreateBody = BodyFor<'createOrder'>;

interface Attempt {
  key: string;
  at: number;
  orderNo?: string;
}

const ATTEMPT_TTL_MS = 24 * 60 * 60 * 1000;
const DEAD_STATES = ['cancelled', 'failed', 'reversed'];

export function selectionKey(body: CreateBody): string {
  const who = body.memberId ? `@${body.memberId}` : '';
  const sel = (body.kind === 'registration' ? `reg:${body.slotId}` : `out:${[...body.billNos].sort().join(',')}`) + who;
  // 自费 and 医保 are different orders for the same selection (a different body: a new key)
  return body.payMode === 'self' ? `self:${sel}` : sel;
}

export function newIdempotencyKey(): string {
  const rnd = () => Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return `mip-${Date.now().toString(36)}-${rnd()}${rnd()}${rnd()}`;
}

function load(sel: string, now: number): Attempt | undefined {
  const a = storage.read<Attempt>(`attempt:${sel}`);
  if (!a || typeof a.key !== 'string' || now - a.at > ATTEMPT_TTL_MS) return undefined;
  return a;
}

export async function createOrderOnce(body: CreateBody): Promise<OrderView> {
  const sel = selectionKey(body);
  let attempt = load(sel, Date.now());
  if (attempt?.orderNo) {
    try {
      const { order } = await call('getOrder', { params: { orderNo: attempt.orderNo } });
      if (!DEAD_STATES.includes(order.state)) return order;
      attempt = undefined;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'ORDER_NOT_FOUND' || e.code === 'NOT_FOUND')) attempt = undefined;
      // otherwise keep the key: the create call below returns the same order
    }
  }
  if (!attempt) {
    attempt = { key: newIdempotencyKey(), at: Date.now() };
    storage.write(`attempt:${sel}`, attempt);
  }
  const { order } = await call('createOrder', { body, headers: { 'Idempotency-Key': attempt.key } });
  storage.write(`attempt:${sel}`, { ...attempt, orderNo: order.orderNo });
  return order;
}
