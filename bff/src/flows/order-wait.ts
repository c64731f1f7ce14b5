/**
 * The patient's status request with a server-side wait (issue 14): instead of polling, the result
 * page asks once with the state it has and gets the order back as soon as that state has changed,
 * or at the deadline as the order then is. Nothing here calls a peer: a late notification is
 * confirmed by the background polls (settlement.poll, payment.poll), whose steps wake the waiter.
 */
import type { OrderState } from '@mip/shared';
import type { Order } from '../domain/order';
import type { OrderWatcher as Watcher } from '../store/port';

export type { Watcher };

export async function waitForStateChange(waiters: Watcher, orderNo: string, from: OrderState, timeoutMs: number, read: () => Promise<Order>, now: () => Date = () => new Date()): Promise<Order> {
  const deadline = now().getTime() + timeoutMs;
  for (;;) {
    const w = waiters.watch(orderNo, deadline - now().getTime());
    try {
      await Promise.race([w.ready, w.ended]); // subscribed before reading: a change from here on is seen
      const order = await read();
      if (order.state !== from) return order;
      const end = await w.ended;
      // the deadline, a shutdown or a full process: the order as it is now
      if (end !== 'changed') return end === 'busy' ? order : await read();
      // the change carried the order as its step wrote it (one order number, so one owner: read() checked it)
      const changed = w.published?.();
      if (changed && changed.orderNo === orderNo && changed.state !== from) return changed;
    } finally {
      w.cancel();
    }
  }
}
