import { z } from 'zod';
import { endpointGroup } from './define';
import { ORDER_STATES } from '../order-state';
import { Benefit, FenAmount, OrderNo, OrderView, PayParams, Region, RegionCode } from './schemas';

const patientEndpoint = endpointGroup('patient', 'patient');
const publicEndpoint = endpointGroup('patient', 'none');

/** The patient API used by the WeChat and Alipay mini-programs (and the H5 preview). */

const IdNumber = z.string().trim().min(15).max(18);
const PersonName = z.string().trim().min(1).max(30).regex(/^[\p{Script=Han}A-Za-z·. ]+$/u, '姓名只能包含汉字或字母');

export const login = publicEndpoint.post('session.login', '/api/session', {
  summary: 'Exchange a WeChat wx.login code or an Alipay my.getAuthCode code for a BFF session',
  body: z.object({ channel: z.enum(['wechat', 'alipay']), code: z.string().min(1).max(128) }),
  response: z.object({ token: z.string(), expiresAt: z.string(), channel: z.enum(['wechat', 'alipay']) }),
});

export const clientConfig = publicEndpoint.get('config.get', '/api/config', {
  summary: 'Public client settings: subscribe-message templates and the e-voucher authorization jump',
  response: z.object({
    hospitalName: z.string(),
    /** the hospital's service phone for patients (every error says whom to call) */
    servicePhone: z.string().optional(),
    subscribeTemplateIds: z.object({ wechat: z.array(z.string()), alipay: z.array(z.string()) }),
    insuranceAuth: z.object({
      /** WeChat: the national e-voucher mini-program to navigate to */
      wechat: z.object({ appId: z.string(), path: z.string(), envVersion: z.enum(['release', 'trial', 'develop']) }),
    }),
    /** Only in the sandbox deployment: where the H5 preview finds the sandbox channels */
    sandbox: z.object({ wechatUrl: z.string(), alipayUrl: z.string() }).optional(),
  }),
});

export const listRegions = patientEndpoint.get('insurance.regions', '/api/regions', {
  summary: 'Insured regions (参保地) the hospital supports (C7)',
  response: z.object({ regions: z.array(Region) }),
});

export const insuranceStatus = patientEndpoint.post('insurance.status', '/api/insurance/status', {
  summary: 'Check insurance enrolment and benefits for an ID number in a region (C8)',
  body: z.object({ regionCode: RegionCode, idNo: IdNumber, name: PersonName }),
  response: z.object({
    insured: z.boolean(),
    region: Region,
    patient: z.object({ nameMasked: z.string(), idNoMasked: z.string() }),
    benefits: z.array(Benefit),
    /** plain-language notice when not insured or when something needs the patient's attention */
    notice: z.string().optional(),
  }),
});

export const chooseBenefit = patientEndpoint.post('insurance.chooseBenefit', '/api/insurance/benefit', {
  summary: 'Choose one benefit and register the patient as insured in HIS (C9, C10)',
  body: z.object({ benefitCode: z.string().min(1).max(32) }),
  response: z.object({ registered: z.literal(true), benefit: Benefit, region: Region }),
});

export const authorizeInsurance = patientEndpoint.post('insurance.authorize', '/api/insurance/authorization', {
  summary: 'Turn the e-voucher authCode into a pay authorization held by the BFF (C11)',
  body: z.object({ authCode: z.string().min(1).max(256) }),
  response: z.discriminatedUnion('status', [
    z.object({ status: z.literal('authorized'), expiresInSeconds: z.number().int() }),
    /** Alipay: voucher not authorized or not activated yet; send the patient here, then call again */
    z.object({ status: z.literal('redirect'), authUrl: z.string() }),
  ]),
});

/** The e-voucher authorization as it really is: one payment, ~240 s (sessions/pay-auth-vault.ts) */
export const AuthorizationState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('active'), expiresAt: z.string(), remainingSeconds: z.number().int().min(0), familyPay: z.boolean() }),
  z.object({ state: z.literal('used'), orderNo: OrderNo, familyPay: z.boolean() }),
  z.object({ state: z.literal('expired'), expiresAt: z.string(), familyPay: z.boolean() }),
]);
export type AuthorizationState = z.infer<typeof AuthorizationState>;

export const insuranceProfile = patientEndpoint.get('insurance.profile', '/api/insurance/profile', {
  summary: 'What this patient already established (region, benefit, authorization), so a returning patient skips steps',
  response: z.discriminatedUnion('ready', [
    z.object({ ready: z.literal(false), region: Region.optional(), patient: z.object({ nameMasked: z.string(), idNoMasked: z.string() }).optional(), insured: z.boolean().optional(), benefit: Benefit.optional(), authorized: z.boolean().optional(), authorization: AuthorizationState.optional() }),
    z.object({ ready: z.literal(true), region: Region, patient: z.object({ nameMasked: z.string(), idNoMasked: z.string() }), insured: z.literal(true), benefit: Benefit, authorized: z.boolean(), authorization: AuthorizationState.optional() }),
  ]),
});

export const departments = patientEndpoint.get('registration.departments', '/api/registration/departments', {
  summary: 'Departments that take registrations (C14)',
  response: z.object({ departments: z.array(z.object({ code: z.string(), name: z.string(), location: z.string().optional() })) }),
});

export const doctors = patientEndpoint.get('registration.doctors', '/api/registration/departments/:deptCode/doctors', {
  summary: "Doctors of a department with today's and the coming days' availability",
  params: z.object({ deptCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) }),
  response: z.object({
    doctors: z.array(z.object({ code: z.string(), name: z.string(), title: z.string(), specialty: z.string().optional(), available: z.boolean() })),
  }),
});

export const Slot = z.object({
  slotId: z.string(),
  date: z.string().describe('yyyy-MM-dd'),
  period: z.enum(['morning', 'afternoon', 'evening']),
  startTime: z.string().describe('HH:mm'),
  endTime: z.string(),
  feeFen: FenAmount,
  remaining: z.number().int().min(0),
});

export const slots = patientEndpoint.get('registration.slots', '/api/registration/doctors/:doctorCode/slots', {
  summary: 'Bookable slots of a doctor',
  params: z.object({ doctorCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) }),
  response: z.object({ slots: z.array(Slot) }),
});

export const BillSummary = z.object({
  billNo: z.string(),
  title: z.string(),
  deptName: z.string(),
  doctorName: z.string(),
  createdAt: z.string(),
  totalFen: FenAmount,
  itemCount: z.number().int(),
  /** one of the patient's own unpaid (or confirming) orders holds this bill: continue there (issue 12) */
  heldByOrderNo: z.string().optional(),
});

/** memberId: the bills of one of the patient's family members (contract/family.ts); opaque, never a name or ID number */
const BillsFor = z.object({ memberId: z.string().regex(/^fm[A-Za-z0-9_-]{8,24}$/).optional() });

export const BillItem = z.object({
  code: z.string().describe('医保目录编码'),
  name: z.string(),
  spec: z.string().optional(),
  unit: z.string().optional(),
  quantity: z.string().describe('decimal text, e.g. "2" or "0.5"'),
  unitPriceFen: FenAmount,
  amountFen: FenAmount,
  category: z.string().describe('甲类/乙类/丙类 or 自费'),
});

export const bills = patientEndpoint.get('outpatient.bills', '/api/outpatient/bills', {
  summary: "The patient's (or a family member's, memberId) unpaid outpatient bills (C13), each with the patient's order holding it",
  query: BillsFor,
  response: z.object({ bills: z.array(BillSummary) }),
});

export const bill = patientEndpoint.get('outpatient.bill', '/api/outpatient/bills/:billNo', {
  summary: 'One unpaid bill with its fee details',
  params: z.object({ billNo: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }),
  query: BillsFor,
  response: z.object({ bill: BillSummary.extend({ items: z.array(BillItem) }) }),
});

/** memberId: the order is for one of the patient's family members (contract/family.ts) */
const ForMember = { memberId: z.string().regex(/^fm[A-Za-z0-9_-]{8,24}$/).optional() };
/** 'insurance' (default): 医保移动支付; 'self': 自费 — the channel alone, the centre never involved */
export const PayMode = z.enum(['insurance', 'self']);
export type PayMode = z.infer<typeof PayMode>;

export const CreateOrderBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registration'), slotId: z.string().min(1).max(64), payMode: PayMode.optional(), ...ForMember }),
  z.object({ kind: z.literal('outpatient'), billNos: z.array(z.string().min(1).max(40)).min(1).max(20), payMode: PayMode.optional(), ...ForMember }),
]);

/** an order of mine, by its number, and the answer that is that order */
const orderParams = z.object({ orderNo: OrderNo });
const OneOrder = z.object({ order: OrderView });
/** An endpoint on one of my orders that answers the order. */
const onOrder = (method: 'get' | 'post', id: string, path: string, doc: { summary: string }) =>
  patientEndpoint[method](id, path, { ...doc, params: orderParams, response: OneOrder });

const idempotencyHeader = {
  'Idempotency-Key': { required: true, description: 'Client-generated key; the same key returns the same order' },
};

export const createOrder = patientEndpoint.post('orders.create', '/api/orders', {
  summary: 'Pre-settle in HIS and create an insurance order (C13, C14)',
  headers: idempotencyHeader,
  body: CreateOrderBody,
  response: OneOrder,
});

export const payOrder = patientEndpoint.post('orders.pay', '/api/orders/:orderNo/pay', {
  summary: 'Upload fees (6201), place the insurance order (6202) and the channel order; returns what the pay call needs (C12)',
  params: orderParams,
  body: z.object({
    /** "lng,lat" where the patient is, when the mini-program may read it (6201 uldLatlnt) */
    location: z.string().regex(/^-?\d{1,3}\.\d+,-?\d{1,2}\.\d+$/).optional(),
  }),
  response: z.object({ order: OrderView, payment: PayParams.nullable().describe('null when nothing is left to pay in the channel') }),
});

/** A server-side wait instead of polling (issue 14): at most two status requests per payment. */
export const ORDER_WAIT_MAX_SECONDS = 25;
const OrderWait = z.object({
  waitFor: z.enum(ORDER_STATES).optional().describe('the state the client has; the answer comes when the order leaves it'),
  timeout: z
    .string()
    .regex(/^([1-9]|1[0-9]|2[0-5])$/, `1 to ${ORDER_WAIT_MAX_SECONDS} seconds`)
    .transform(Number)
    .optional()
    .describe(`seconds to wait at most (1–${ORDER_WAIT_MAX_SECONDS}); without waitFor, ignored`),
});

export const getOrder = patientEndpoint.get('orders.get', '/api/orders/:orderNo', {
  summary:
    'One of my orders, read-only towards the centre and the channels (the background polls confirm a late notification). With waitFor and timeout it waits: it answers as soon as the state is no longer waitFor, or at the deadline with the order as it is',
  params: orderParams,
  query: OrderWait,
  response: OneOrder,
});

export const listOrders = patientEndpoint.get('orders.list', '/api/orders', {
  summary: 'My orders, newest first, with their payments and refunds',
  response: z.object({ orders: z.array(OrderView) }),
});

export const cancelOrder = onOrder('post', 'orders.cancel', '/api/orders/:orderNo/cancel', { summary: 'Cancel an unpaid order (6401 when fees were uploaded)' });

export const cancelRegistration = onOrder('post', 'orders.cancelRegistration', '/api/orders/:orderNo/cancel-registration', { summary: '退号: cancel a paid registration before its session; HIS cancels it, then the money goes back (6203 + channel refund); idempotent' });

export const patientApi = { login, clientConfig, listRegions, insuranceStatus, chooseBenefit, authorizeInsurance, insuranceProfile, departments, doctors, slots, bills, bill, createOrder, payOrder, getOrder, listOrders, cancelOrder, cancelRegistration } as const;
