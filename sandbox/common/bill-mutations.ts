import type Router from '@koa/router';
import { readJson } from './server';

/** A change the channel sandboxes make to the bills they generate, so reconciliation meets each difference. */
export interface BillMutation {
  /** YYYY-MM-DD; absent = every bill generated from now on */
  date?: string;
  op: 'drop' | 'amount' | 'add';
  outTradeNo?: string;
  kind?: 'payment' | 'refund';
  amountFen?: number;
}

/** POST /sandbox/bill-mutations (one, or { mutations: [...] }) adds to the list; DELETE clears it. */
export function billMutationRoutes(router: Router, mutations: BillMutation[]): void {
  router.post('/sandbox/bill-mutations', async (ctx) => {
    const b = (await readJson(ctx.req)) as BillMutation | { mutations: BillMutation[] };
    const list = 'mutations' in b ? b.mutations : [b];
    if (list.some((m) => !['drop', 'amount', 'add'].includes(m.op))) {
      ctx.status = 400;
      ctx.body = { error: 'op must be drop | amount | add' };
      return;
    }
    mutations.push(...list);
    ctx.body = { mutations };
  });
  router.delete('/sandbox/bill-mutations', (ctx) => {
    mutations.length = 0;
    ctx.body = { ok: true };
  });
}
