import type Router from '@koa/router';
import { patientApi as api } from '@mip/shared';
import { ChannelRejectedError } from '../../channels/port';
import type { AppDeps as Deps } from '../../app/deps';
import { authorize, checkStatus, chooseBenefit, listRegions, profileView } from '../../flows/insurance';
import { createOrder } from '../../flows/ordering';
import { createOrderForMember, memberHisPatientId } from '../../flows/family';
import { billHolders } from '../../flows/bill-holder';
import { hisPatientIdFor } from '../../flows/self-pay';
import { pay } from '../../flows/paying';
import { cancelByPatient } from '../../flows/cancelling';
import { waitForStateChange } from '../../flows/order-wait';
import { ownedOrder } from '../../flows/access';
import { toOrderView } from '../../flows/views';
import { cancelRegistration } from '../../flows/cancel-registration';
import type { Order } from '../../domain/order';
import type { PatientSession } from '../../sessions/patient-sessions';
import { DomainError } from '../../domain/errors';
import type { PrincipalOf } from '../principal';
import { bind, type RouteOptions } from '../route';
import { departments, doctors, slots } from '../../flows/registration';

export function patientSession(p: PrincipalOf<'patient'>): PatientSession {
  return { sessionId: p.sessionId, channel: p.channel, openId: p.openId, ownerKey: p.patientKey, createdAt: '', expiresAt: '' };
}

/** The patient API (shared/src/contract/patient.ts) bound to the flows. */
export function patientRoutes(router: Router, deps: Deps, opts: RouteOptions): void {
  /** the patient's view of an order, with the moment an unpaid one is released */
  const view = (o: Order) => toOrderView(o, deps.now(), deps.config.unpaidOrderTtlMs, deps.config.registrationCancelCutoffMinutes);
  bind(router, api.login, opts, async ({ body }) => {
    let user;
    try {
      user = await deps.channels[body.channel].login(body.code);
    } catch (err) {
      if (err instanceof ChannelRejectedError) throw new DomainError('LOGIN_FAILED');
      throw err;
    }
    const { token, session: s } = await deps.sessions.create(body.channel, user.openId);
    return { token, expiresAt: s.expiresAt, channel: body.channel };
  });

  bind(router, api.clientConfig, opts, async () => {
    const c = deps.config;
    return {
      hospitalName: c.hospital.name,
      ...(c.hospital.servicePhone ? { servicePhone: c.hospital.servicePhone } : {}),
      subscribeTemplateIds: {
        wechat: [c.channels.wechat.subscribeTemplates.registrationPaid, c.channels.wechat.subscribeTemplates.outpatientPaid],
        alipay: [c.channels.alipay.subscribeTemplates.registrationPaid, c.channels.alipay.subscribeTemplates.outpatientPaid],
      },
      insuranceAuth: { wechat: { ...c.channels.wechat.insuranceAuth } },
      ...(c.env === 'sandbox' && c.sandboxPreview ? { sandbox: c.sandboxPreview } : {}),
    };
  });

  bind(router, api.listRegions, opts, async () => ({ regions: await listRegions(deps) }));
  bind(router, api.insuranceStatus, opts, async ({ principal, body }) => checkStatus(deps, patientSession(principal), body));
  bind(router, api.chooseBenefit, opts, async ({ principal, body }) => chooseBenefit(deps, patientSession(principal), body));
  bind(router, api.authorizeInsurance, opts, async ({ principal, body }) => authorize(deps, patientSession(principal), body));
  bind(router, api.insuranceProfile, opts, async ({ principal }) => profileView(deps, patientSession(principal)));

  bind(router, api.departments, opts, async () => departments(deps));
  bind(router, api.doctors, opts, async ({ params }) => doctors(deps, params.deptCode));
  bind(router, api.slots, opts, async ({ params }) => slots(deps, params.doctorCode));

  /** an insured patient's HIS record, a self-pay (自费) patient's (flows/self-pay.ts), or a family member's */
  const billsPatient = (principal: PrincipalOf<'patient'>, memberId: string | undefined) =>
    memberId ? memberHisPatientId(deps, patientSession(principal), memberId) : hisPatientIdFor(deps, principal.patientKey);
  bind(router, api.bills, opts, async ({ principal, query }) => {
    const bills = await deps.his.listUnpaidBills({ hisPatientId: await billsPatient(principal, query.memberId) });
    const holders = await billHolders(deps, principal.patientKey);
    return { bills: bills.map((b) => (holders.has(b.billNo) ? { ...b, heldByOrderNo: holders.get(b.billNo) } : b)) };
  });
  bind(router, api.bill, opts, async ({ principal, params, query }) => {
    const b = await deps.his.getBill({ hisPatientId: await billsPatient(principal, query.memberId), billNo: params.billNo });
    return {
      bill: {
        ...b,
        items: b.items.map((i) => ({
          code: i.medListCodg,
          name: i.name,
          quantity: i.quantity,
          unitPriceFen: i.unitPriceFen,
          amountFen: i.amountFen,
          category: i.category,
          ...(i.spec ? { spec: i.spec } : {}),
          ...(i.unit ? { unit: i.unit } : {}),
        })),
      },
    };
  });

  bind(router, api.createOrder, opts, async ({ principal, body, ctx }) => {
    const s = patientSession(principal);
    const key = ctx.get('idempotency-key');
    const order = body.memberId ? await createOrderForMember(deps, s, { ...body, memberId: body.memberId }, key) : await createOrder(deps, s, body, key);
    return { order: view(order) };
  });
  bind(router, api.payOrder, opts, async ({ principal, params, body }) => {
    const r = await pay(deps, patientSession(principal), params.orderNo, body);
    return { order: view(r.order), payment: r.payment };
  });
  // read-only towards the peers: a late notification is confirmed by the background polls (flows/order-wait.ts)
  bind(router, api.getOrder, opts, async ({ principal, params, query }) => {
    const read = () => ownedOrder(deps, patientSession(principal), params.orderNo);
    const order = query.waitFor && query.timeout ? await waitForStateChange(deps.waiters, params.orderNo, query.waitFor, query.timeout * 1000, read, deps.now) : await read();
    return { order: view(order) };
  });
  bind(router, api.listOrders, opts, async ({ principal }) => {
    const nos = await deps.orders.ownerOrderNos(principal.patientKey);
    return { orders: (await deps.orders.getMany(nos)).map((o) => view(o)) };
  });
  bind(router, api.cancelRegistration, opts, async ({ principal, params }) => ({
    order: view(await cancelRegistration(deps, patientSession(principal), params.orderNo)),
  }));
  bind(router, api.cancelOrder, opts, async ({ principal, params }) => ({
    order: view(await cancelByPatient(deps, patientSession(principal), params.orderNo)),
  }));
}
