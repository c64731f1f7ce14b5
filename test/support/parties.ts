/**
 * Every party's money in a cross-process test: our orders (Redis) against the HIS ledger, the
 * centre and the channels, through the fault suite's own check (fault-money.ts), plus a way to
 * make a delayed job of one order due now (the BFF's clock for that job, advanced — never a sleep).
 */
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { Keys, SHARDS } from '../../bff/src/store/keys';
import { OrderStore, dayOf } from '../../bff/src/store/order-store';
import type { Order } from '../../bff/src/domain/order';
import { checkMoney } from './fault-money';
import type { TestStack } from './stack';

export class Parties {
  private readonly redis: RedisClient;
  private readonly keys = new Keys('mip:');
  readonly store: OrderStore;
  private readonly firstDay = dayOf(new Date());

  constructor(private readonly stack: TestStack) {
    this.redis = connectRedis(stack.redis.url);
    this.store = new OrderStore(this.redis, this.keys);
  }

  /** The problems fault-money.ts finds across every order since this was made, none expected. */
  async moneyProblems(): Promise<string[]> {
    const nos = new Set<string>();
    // a run across midnight (China time) keeps the first day's orders in view
    for (const d of new Set([this.firstDay, dayOf(new Date())])) for (const n of await this.store.orderNosOfDay(d)) nos.add(n);
    const orders = new Map<string, Order>();
    for (const n of nos) {
      const o = await this.store.get(n);
      if (o) orders.set(n, o);
    }
    return (await checkMoney(this.stack, orders, nos)).problems;
  }

  /** Waits until the order (as stored) satisfies the predicate. */
  async waitFor(orderNo: string, ok: (o: Order) => boolean, what: string, timeoutMs = 40_000): Promise<Order> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const o = await this.store.get(orderNo);
      if (o && ok(o)) return o;
      if (Date.now() > until) {
        // the last steps say where it stopped (a retry still scheduled, a person's turn …)
        const last = (o?.timeline ?? []).slice(-8).map((t) => `${t.at} ${t.from}→${t.to} ${t.event}${t.reason ? ` (${t.reason})` : ''}`);
        throw new Error(`order ${orderNo}: ${what} did not happen (state ${o?.state})\n  ${last.join('\n  ')}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Makes this order's delayed jobs of one type due now; how many there were. */
  async dueNow(orderNo: string, type: string): Promise<number> {
    let n = 0;
    for (let s = 0; s < SHARDS; s++) {
      const key = this.keys.delayed(s);
      for (const m of await this.redis.zrange(key, '0', '-1')) {
        if (!m.includes(orderNo) || !m.includes(`"${type}"`)) continue;
        n += Number(await this.redis.zadd(key, 'XX', 'CH', String(Date.now()), m));
      }
    }
    return n;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
