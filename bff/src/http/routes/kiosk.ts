import type Router from '@koa/router';
// read directly until shared/src/contract/index.ts re-exports the kiosk contract
import { kioskApi as api } from '@mip/shared';
import { confirmNow } from '../../flows/confirming';
import type { Deps } from '../../flows/deps';
import { toOrderView } from '../../flows/views';
import { DomainError } from '../../domain/errors';
import type { PrincipalOf } from '../principal';
import { bind, type RouteOptions } from '../route';
import { kioskConfigOf, type KioskConfig } from '../../kiosk/config';
import { EVoucherClient } from '../../kiosk/e-voucher';
import { chooseBenefit, identify } from '../../kiosk/identity';
import { cancelKioskOrder, createKioskOrder, visitOrder } from '../../kiosk/orders';
import { kioskPay } from '../../kiosk/paying';
import { KioskVisits } from '../../kiosk/visits';
import { departments, doctors, slots } from '../../flows/registration';

/**
 * The kiosk API (shared/src/contract/kiosk.ts) bound to the kiosk flows. Mounted next to the
 * patient routes: `kioskRoutes(router, deps, opts)` in http/app.ts.
 */
export function kioskRoutes(router: Router, deps: Deps, opts: RouteOptions, kc: KioskConfig = kioskConfigOf(deps.config)): void {
  const visits = new KioskVisits(deps.kioskVisits, kc, deps.now);
  const voucher = EVoucherClient.of(kc.eVoucher, deps.config.national);
  const visit = (p: PrincipalOf<'kiosk'>, visitId: string) => visits.get(p.deviceId, visitId);

  bind(router, api.identify, opts, async ({ principal, body }) => identify(deps, kc, voucher, visits, principal.deviceId, body));
  bind(router, api.chooseBenefit, opts, async ({ principal, params, body }) => chooseBenefit(deps, visits, await visit(principal, params.visitId), body.benefitCode));
  bind(router, api.endVisit, opts, async ({ principal, params }) => {
    const v = await visits.find(principal.deviceId, params.visitId);
    if (v) await visits.end(v);
    return { ended: true as const };
  });

  bind(router, api.departments, opts, async () => departments(deps));
  bind(router, api.doctors, opts, async ({ params }) => doctors(deps, params.deptCode));
  bind(router, api.slots, opts, async ({ params }) => slots(deps, params.doctorCode));

  bind(router, api.bills, opts, async ({ principal, params }) => {
    const v = await visit(principal, params.visitId);
    if (!v.hisPatientId) throw new DomainError('IDENTITY_REQUIRED', '请先选择医保待遇');
    return { bills: await deps.his.listUnpaidBills({ hisPatientId: v.hisPatientId }) };
  });

  bind(router, api.createOrder, opts, async ({ principal, params, body, ctx }) => {
    const order = await createKioskOrder(deps, visits, await visit(principal, params.visitId), body, ctx.get('idempotency-key'));
    return { order: toOrderView(order) };
  });
  bind(router, api.payOrder, opts, async ({ principal, params }) => {
    const r = await kioskPay(deps, kc, visits, await visit(principal, params.visitId), params.orderNo);
    return { order: toOrderView(r.order), payment: r.payment };
  });
  bind(router, api.getOrder, opts, async ({ principal, params }) => {
    const order = await visitOrder(deps, visits, await visit(principal, params.visitId), params.orderNo);
    return { order: toOrderView(await confirmNow(deps, order)) };
  });
  bind(router, api.cancelOrder, opts, async ({ principal, params }) => ({
    order: toOrderView(await cancelKioskOrder(deps, visits, await visit(principal, params.visitId), params.orderNo)),
  }));
}
