import type { Order } from '../domain/order';
import { DomainError } from '../domain/errors';
import type { PatientSession } from '../sessions/port';
import type { Deps } from './deps';

/**
 * A patient sees and acts on their own orders only. Someone else's order is answered exactly
 * like a missing one, so order numbers cannot be probed.
 */
export async function ownedOrder(deps: Pick<Deps, 'orders'>, s: PatientSession, orderNo: string): Promise<Order> {
  const order = await deps.orders.get(orderNo);
  if (!order || order.ownerKey !== s.ownerKey) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}
