import { z } from 'zod';
import { endpointGroup, type Endpoint } from './define';
import { Amounts, Channel, FenAmount, OrderKind, OrderNo, RefundView } from './schemas';
import { ORDER_STATES, ORDER_TRANSITIONS, REFUND_STATES, type OrderState } from '../order-state';
import { isValidIdNumber } from '../id-number';

const staffEndpoint = endpointGroup('staff', 'staff');
const staffSignIn = endpointGroup('staff', 'none');

/**
 * The hospital staff's order management API (C15), used by the console page the BFF serves at
 * /staff/. Sessions are an HttpOnly cookie limited to Path=/staff; every call that changes
 * something also carries the CSRF token returned at login in the X-CSRF-Token header.
 */

export const STAFF_ROLES = ['finance', 'it', 'admin'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

/** Who may call a staff endpoint; an empty list means any signed-in staff member (or anyone, for login). */
export interface StaffMeta {
  roles: readonly StaffRole[];
  /** media type of a non-JSON success answer (the CSV export) */
  produces?: string;
}
export type StaffEndpoint<E extends Endpoint = Endpoint> = E & StaffMeta;

function staffOnly<E extends Endpoint>(e: E, meta: StaffMeta): StaffEndpoint<E> {
  return Object.assign(e, meta);
}

const READ: readonly StaffRole[] = ['finance', 'it', 'admin'];
/** Resolving a case moves money records: finance decides, admin can stand in; IT only looks. */
const RESOLVE: readonly StaffRole[] = ['finance', 'admin'];

export const CSRF_HEADER = 'X-CSRF-Token';
export const STAFF_COOKIE = 'mip_staff_sid';

const Masked = z.object({ nameMasked: z.string(), idNoMasked: z.string() });

export const StaffMe = z.object({ staffId: z.string(), username: z.string(), roles: z.array(StaffRole) });

export const StaffSession = z.object({
  staff: StaffMe,
  csrfToken: z.string().describe(`send as ${CSRF_HEADER} on every POST/PUT/DELETE`),
  expiresAt: z.string().describe('idle expiry; every call moves it forward'),
});

/** yyyy-MM-dd, a calendar day in China time (UTC+8) */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 yyyy-MM-dd');
export const MAX_SEARCH_DAYS = 31;

const CriteriaFields = z.object({
  from: Day.optional(),
  to: Day.optional(),
  /** matched through a keyed hash; the number itself is never stored or logged */
  idNo: z.string().trim().toUpperCase().refine(isValidIdNumber, '身份证号码格式不正确').optional(),
  orderNo: z.string().trim().toUpperCase().pipe(OrderNo).optional(),
  channel: Channel.optional(),
  state: z.enum(ORDER_STATES).optional(),
});

type Criteria = z.output<typeof CriteriaFields>;

function dayNumber(d: string): number {
  return Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
}

/** A date range is needed unless an order number is given, and covers at most 31 days. */
function checkRange(v: Criteria, ctx: z.RefinementCtx): void {
  if (!v.orderNo && (!v.from || !v.to)) ctx.addIssue({ code: 'custom', path: ['from'], message: '请选择日期范围或填写订单号' });
  if (!v.from || !v.to) return;
  const a = dayNumber(v.from);
  const b = dayNumber(v.to);
  if (Number.isNaN(a) || Number.isNaN(b)) ctx.addIssue({ code: 'custom', path: ['from'], message: '日期无效' });
  else if (b < a) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期早于开始日期' });
  else if (b - a + 1 > MAX_SEARCH_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `日期范围最多 ${MAX_SEARCH_DAYS} 天` });
}

export const OrderCriteria = CriteriaFields.strict().superRefine(checkRange);
export type OrderCriteria = z.output<typeof OrderCriteria>;

export const OrderSearch = CriteriaFields.extend({
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
})
  .strict()
  .superRefine(checkRange);
export type OrderSearch = z.output<typeof OrderSearch>;

export const StaffOrderRow = z.object({
  orderNo: z.string(),
  kind: OrderKind,
  channel: Channel,
  state: z.enum(ORDER_STATES),
  stateLabel: z.string(),
  title: z.string(),
  createdAt: z.string(),
  paidAt: z.string().optional(),
  patient: Masked,
  amounts: Amounts,
  refundedFen: FenAmount.describe('refunded so far, all parts (refunds not known to have failed)'),
  reviewOpen: z.boolean(),
  /** 'self': 自费 — paid through the channel alone, the centre never involved */
  payMode: z.literal('self').optional(),
});
export type StaffOrderRow = z.infer<typeof StaffOrderRow>;

export const ReviewInfo = z.object({
  reason: z.string(),
  openedAt: z.string(),
  fromState: z.enum(ORDER_STATES),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  resolution: z.enum(ORDER_STATES).optional(),
  note: z.string().optional(),
});

export const PaymentPart = z.object({
  part: z.enum(['insurance', 'self_pay']),
  via: z.enum(['centre', 'wechat', 'alipay', 'kiosk', 'cashier']),
  amountFen: FenAmount,
  reference: z.string().describe('payOrdId (insurance) / out_trade_no (self-pay)'),
  tradeNo: z.string().optional().describe('setlId / channel transaction number'),
  status: z.enum(['pending', 'paid', 'not_needed']),
  at: z.string().optional(),
});

export const StaffRefund = RefundView.extend({
  requestedBy: z.enum(['his', 'staff', 'patient', 'reversal']),
  state: z.enum(REFUND_STATES),
  insuranceOutcome: z.string().optional(),
  cashOutcome: z.string().optional(),
  insuranceRoute: z.enum(['his_reversal', '6203']).optional().describe('how the insurance part went back: HIS 冲正 or 6203'),
  noticeState: z.enum(['pending', 'sent', 'not_needed']).optional().describe('医保退款通知 to the channel (WeChat), after the cash refund'),
  lastError: z.string().optional(),
});

export const StaffOrderDetail = StaffOrderRow.extend({
  version: z.number().int().describe('send back when resolving a review: the decision is about this version'),
  updatedAt: z.string(),
  amountsFinal: z.boolean(),
  hisPatientId: z.string(),
  regionCode: z.string(),
  /** the region's name from HIS's list, when known */
  regionName: z.string().optional(),
  insutype: z.string(),
  detail: z.object({
    department: z.string().optional(),
    doctor: z.string().optional(),
    visitTime: z.string().optional(),
    billNos: z.array(z.string()).optional(),
    items: z.array(z.object({ name: z.string(), amountFen: FenAmount })),
  }),
  payments: z.array(PaymentPart),
  refunds: z.array(StaffRefund),
  reversal: z
    .object({
      startedAt: z.string(),
      reason: z.string(),
      steps: z.array(z.object({ step: z.string(), at: z.string(), outcome: z.string(), detail: z.string() })),
    })
    .nullable(),
  writeBack: z
    .object({ attempts: z.number().int(), lastAttemptAt: z.string().optional(), lastError: z.string().optional(), unclear: z.boolean(), hisReceiptNo: z.string().optional(), deadlineAt: z.string() })
    .nullable(),
  review: ReviewInfo.nullable(),
  /** states a person may resolve this order to (empty unless it is in manual review) */
  reviewTargets: z.array(z.enum(ORDER_STATES)),
  timeline: z.array(
    z.object({
      at: z.string(),
      from: z.enum(ORDER_STATES),
      to: z.enum(ORDER_STATES),
      event: z.string(),
      reason: z.string().optional(),
      by: z.string(),
    }),
  ),
  calls: z.array(z.object({ at: z.string(), peer: z.string(), op: z.string(), ms: z.number(), outcome: z.string(), requestId: z.string().optional(), detail: z.string().optional() })),
});
export type StaffOrderDetail = z.infer<typeof StaffOrderDetail>;

export const REVIEW_TARGETS = ORDER_TRANSITIONS.manual_review as readonly OrderState[];
const ReviewTarget = z.enum(REVIEW_TARGETS as [OrderState, ...OrderState[]]);

export const login = staffOnly(
  staffSignIn.post('staff.login', '/staff/api/session', {
    summary: 'Staff sign-in: sets the session cookie and returns the CSRF token (5 failures per user and address lock it for 15 minutes)',
    body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
    response: StaffSession,
  }),
  { roles: [] },
);

export const logout = staffOnly(
  staffEndpoint.del('staff.logout', '/staff/api/session', { summary: 'Sign out: ends the session', response: z.object({ loggedOut: z.literal(true) }) }),
  { roles: [] },
);

export const me = staffOnly(
  staffEndpoint.get('staff.me', '/staff/api/session', { summary: 'The signed-in staff member and the CSRF token (after a page reload)', response: StaffSession }),
  { roles: [] },
);

export const searchOrders = staffOnly(
  staffEndpoint.post('staff.orders.search', '/staff/api/orders/search', {
    summary: 'Find insurance orders by China-time day range (≤ 31 days), ID number, order number, channel and state (C15). POST keeps the ID number out of URLs and logs',
    body: OrderSearch,
    response: z.object({ orders: z.array(StaffOrderRow), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
  }),
  { roles: READ },
);

export const getOrder = staffOnly(
  staffEndpoint.get('staff.orders.get', '/staff/api/orders/:orderNo', {
    summary: 'One order with amounts, payments, refunds, reversal steps, the full timeline and the peer-call log',
    params: z.object({ orderNo: OrderNo }),
    response: z.object({ order: StaffOrderDetail }),
  }),
  { roles: READ },
);

export const exportOrders = staffOnly(
  staffEndpoint.post('staff.orders.export', '/staff/api/orders/export', {
    summary: 'The same search as a CSV file (UTF-8 with BOM for Excel; amounts in yuan; patient masked)',
    body: OrderCriteria,
    response: z.string().describe('text/csv'),
  }),
  { roles: READ, produces: 'text/csv; charset=utf-8' },
);

export const listReviews = staffOnly(
  staffEndpoint.get('staff.reviews.list', '/staff/api/reviews', {
    summary: 'Orders waiting for a person (manual review), oldest first',
    response: z.object({ reviews: z.array(StaffOrderRow.extend({ review: ReviewInfo })) }),
  }),
  { roles: READ },
);

export const resolveReview = staffOnly(
  staffEndpoint.post('staff.reviews.resolve', '/staff/api/orders/:orderNo/review', {
    summary: 'Resolve a manual-review case to the state that matches what happened; recorded on the timeline with the staff id',
    params: z.object({ orderNo: OrderNo }),
    body: z
      .object({
        to: ReviewTarget,
        note: z.string().trim().min(4, '请填写处理说明（至少4个字）').max(500),
        version: z.number().int().min(1).describe('the order version the decision was made on'),
      })
      .strict(),
    response: z.object({ order: StaffOrderDetail }),
  }),
  { roles: RESOLVE },
);

export const recheckOrder = staffOnly(
  staffEndpoint.post('staff.orders.recheck', '/staff/api/orders/:orderNo/recheck', {
    summary:
      'Ask the centre (6301) and the payment channel again about one order, now. The answers go through the same decisions as the background polls (an open order may be decided by them; one in manual review or final only records them), each question is on the call log, and a timeline line records who asked and what each said. Moves no money',
    params: z.object({ orderNo: OrderNo }),
    body: z.object({}).strict(),
    response: z.object({
      order: StaffOrderDetail,
      /** what each peer said, in words for staff; absent when the order has nothing there to ask about */
      answers: z.object({ centre: z.string().optional(), channel: z.string().optional() }),
    }),
  }),
  { roles: RESOLVE },
);

/** Starting a refund moves money: finance, or admin standing in (issue 12 item 8). */
export const REFUND_ROLES: readonly StaffRole[] = ['finance', 'admin'];

export const createRefund = staffOnly(
  staffEndpoint.post('staff.refunds.create', '/staff/api/orders/:orderNo/refunds', {
    summary:
      'A staff member starts a refund of a completed order, fully or partly (bounded by what is left), with a reason and a second confirmation; it goes through the same money-back process as HIS refunds (6203 for the insurance part, the channel for the cash) and leaves an audit line (who, when, why, amounts) on the timeline. refundNo makes a repeat harmless',
    params: z.object({ orderNo: OrderNo }),
    body: z
      .object({
        refundNo: z.string().regex(/^[A-Za-z0-9]{6,24}$/, '退款编号格式不正确'),
        amounts: z.object({ fundFen: FenAmount, acctFen: FenAmount, cashFen: FenAmount }).optional(),
        all: z.boolean().optional(),
        reason: z.string().trim().min(4, '请填写退款原因（至少4个字）').max(100),
        confirmed: z.literal(true, { error: '请再次确认退款' }),
      })
      .strict(),
    response: z.object({ order: StaffOrderDetail }),
  }),
  { roles: REFUND_ROLES },
);

export const staffApi = { login, logout, me, searchOrders, getOrder, exportOrders, listReviews, resolveReview, recheckOrder, createRefund } as const;
