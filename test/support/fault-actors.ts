/**
 * What goes on around the fault suite's patients (test/support/fault-suite.ts): an instance
 * killed and restarted at random, HIS asking for refunds (and repeating and exceeding them), and
 * the wait until everything has settled.
 */
import { hisApi, isFinal } from '@mip/shared';
import type { OrderStore } from '../../bff/src/store/order-store';
import type { JobQueue } from '../../bff/src/store/queue';
import type { HisClient } from './his-client';
import type { TestStack } from './stack';
import { retrying, sleep, type Res } from './fault-patient';
import type { Chance, KillPlan } from './fault-plan';

/** SIGKILLs instances on the plan's schedule (test/support/fault-plan.ts), restarting each a moment later. */
export async function killer(stack: TestStack, plan: KillPlan[], running: () => boolean, count: () => void, log: (l: string) => void): Promise<void> {
  for (let n = 0; running() && plan.length; n++) {
    const k = plan[n % plan.length];
    await sleep(k.afterMs);
    if (!running()) return;
    const up = stack.bffs.filter((b) => b.running);
    if (up.length < stack.bffs.length) continue;
    const victim = up[k.victim % up.length];
    await victim.kill();
    count();
    await sleep(k.downMs);
    try {
      await victim.start();
    } catch (err) {
      log(`restart of ${victim.name} failed: ${(err as Error).message}; trying again`);
      await sleep(1000);
      await victim.start();
    }
  }
}

/**
 * HIS refunds while everything else goes on: every `every` completed orders one is refunded
 * (all, or one fen of each part), the same request is repeated (idempotent), and a request for
 * more than is left must be refused.
 */
export async function refunder(
  his: HisClient,
  completed: { orderNo: string; amounts: { fundFen: number; acctFen: number; cashFen: number } }[],
  every: number,
  running: () => boolean,
  counters: { refundsRequested: number; refundRepeats: number; overRefundsRefused: number },
  chance: Chance,
): Promise<void> {
  let next = 0;
  let n = 0;
  while (running() || next < Math.floor(completed.length / every)) {
    if (next >= Math.floor(completed.length / every)) {
      await sleep(300);
      continue;
    }
    const target = completed[next * every];
    next++;
    const refundNo = `FS${String(++n).padStart(6, '0')}`;
    const partial = n % 2 === 0 && target.amounts.cashFen > 1 && target.amounts.fundFen > 1;
    const body = partial
      ? { orderNo: target.orderNo, refundNo, reason: '故障测试部分退费', amounts: { fundFen: 1, acctFen: 0, cashFen: 1 } }
      : { orderNo: target.orderNo, refundNo, reason: '故障测试退费', all: true as const };
    const first = await retrying(() => his.call(hisApi.createRefund, { body }) as Promise<Res>, chance, 8);
    if (first.status !== 200) continue;
    counters.refundsRequested++;
    const again = await retrying(() => his.call(hisApi.createRefund, { body }) as Promise<Res>, chance, 8);
    if (again.status === 200) counters.refundRepeats++;
    // more than was paid: always refused (422, or 409 while the first one is still running)
    const over = await retrying(
      () => his.call(hisApi.createRefund, { body: { orderNo: target.orderNo, refundNo: `${refundNo}X`, reason: '超额退费', amounts: { fundFen: target.amounts.fundFen + 1, acctFen: 0, cashFen: 0 } } }) as Promise<Res>,
      chance,
      8,
    );
    if (over.status === 422 || over.status === 409) counters.overRefundsRefused++;
  }
}

/** Until every order is final or with a person, no refund is under way and the queue is empty. */
export async function settle(store: OrderStore, queue: JobQueue, orderNos: Set<string>, timeoutMs: number, log: (l: string) => void): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  let lastNote = 0;
  for (;;) {
    let open = 0;
    let refunding = 0;
    for (const n of orderNos) {
      const o = await store.get(n).catch(() => null);
      if (!o) continue;
      if (!isFinal(o.state) && o.state !== 'manual_review') open++;
      if (o.refunds.some((r) => ['requested', 'insurance_refunded', 'awaiting_confirmation'].includes(r.state)) && o.state !== 'manual_review') refunding++;
    }
    const depth = await queue.depth().catch(() => ({ ready: -1, pending: -1, delayed: -1, dead: -1 }));
    if (open === 0 && refunding === 0 && depth.ready === 0 && depth.pending === 0) return true;
    if (Date.now() - lastNote > 10_000) {
      log(`settling: ${open} open, ${refunding} refunding, queue ${JSON.stringify(depth)}`);
      lastNote = Date.now();
    }
    if (Date.now() > until) return false;
    await sleep(250);
  }
}
