import type Router from '@koa/router';
import type { AppDeps as Deps } from '../../app/deps';
import { billsApi as api } from '../../reconciliation/contract';
import { dayBillCsv } from '../../reconciliation/csv';
import { chinaDay } from '../../reconciliation/days';
import { buildDayBill } from '../../reconciliation/records';
import { loadDayOrders, runReconciliation, type ReconOptions } from '../../reconciliation/runner';
import { RunStore } from '../../reconciliation/run-store';
import { DomainError } from '../../domain/errors';
import { bind, type RouteOptions } from '../route';

/**
 * HIS-facing C3 API (shared/src/contract/bills.ts): the day bill (JSON or CSV) and
 * reconciliation runs. Mounted next to hisRoutes; every call is HMAC-signed by a HIS client.
 */
export function billRoutes(router: Router, deps: Deps, opts: RouteOptions, recon: Partial<ReconOptions> = {}): void {
  const notFuture = (day: string) => {
    if (day > chinaDay(deps.now())) throw new DomainError('VALIDATION_FAILED', '不能查询未来日期的账单', [{ path: 'date', message: 'date is in the future' }]);
  };

  bind(router, api.dayBill, opts, async ({ query, ctx }) => {
    notFuture(query.date);
    const orders = await loadDayOrders(deps, query.date, recon.lookbackDays ?? 1);
    const bill = buildDayBill(orders, query.date, deps.now(), query.channel);
    if (query.format !== 'csv') return bill;
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('content-disposition', `attachment; filename="bill-${query.date}${query.channel ? `-${query.channel}` : ''}.csv"`);
    return dayBillCsv(bill);
  });

  bind(router, api.runReconciliation, opts, async ({ body }) => {
    notFuture(body.date);
    return runReconciliation(deps, body.date, recon);
  });

  bind(router, api.getReconciliation, opts, async ({ params }) => {
    const run = await new RunStore(deps.redis, deps.keys).get(params.runId);
    if (!run) throw new DomainError('NOT_FOUND');
    return run;
  });
}

/** For createApp(deps, { mount: [mountBillRoutes(deps)] }). */
export function mountBillRoutes(deps: Deps, recon: Partial<ReconOptions> = {}): (router: Router, opts: RouteOptions) => void {
  return (router, opts) => billRoutes(router, deps, opts, recon);
}
