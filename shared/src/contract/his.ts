import { z } from 'zod';
import { endpointGroup } from './define';
import { FenAmount, OrderNo, RefundView } from './schemas';
import { ORDER_STATES } from '../order-state';

const hisEndpoint = endpointGroup('his', 'his');

/**
 * The API the hospital's HIS (and authorised third parties) call. Every request is signed with
 * the HIS client's HMAC credentials (X-Client-Id, X-Timestamp, X-Nonce, X-Signature).
 */

const EventId = z.string().regex(/^[A-Za-z0-9_.:-]{6,64}$/);

export const pushMessage = hisEndpoint.post('his.messages.push', '/his/v1/messages', {
  summary: 'HIS reports "registration paid" / "outpatient fees paid"; the patient gets a WeChat or Alipay message once per event (C4, C5)',
  body: z.object({
    eventId: EventId.describe('unique per event and stable when HIS sends it again'),
    type: z.enum(['registration_paid', 'outpatient_paid']),
    orderNo: OrderNo,
    occurredAt: z.string().datetime({ offset: true }),
    summary: z.object({ title: z.string().min(1).max(60), amountFen: FenAmount }),
  }),
  response: z.object({ accepted: z.literal(true), duplicate: z.boolean() }),
});

export const messageStatus = hisEndpoint.get('his.messages.get', '/his/v1/messages/:eventId', {
  summary: 'Delivery state of one pushed event',
  params: z.object({ eventId: EventId }),
  response: z.object({
    eventId: z.string(),
    status: z.enum(['queued', 'sent', 'undeliverable', 'failed']),
    attempts: z.number().int(),
    detail: z.string().optional(),
  }),
});

const RefundBody = z.object({
  orderNo: OrderNo,
  refundNo: z.string().regex(/^[A-Za-z0-9_-]{4,32}$/).describe("the caller's refund number: the idempotency key"),
  /** explicit parts in fen; `all: true` instead refunds everything still refundable */
  amounts: z.object({ fundFen: FenAmount, acctFen: FenAmount, cashFen: FenAmount }).optional(),
  all: z.boolean().optional(),
  reason: z.string().min(1).max(100),
});

export const createRefund = hisEndpoint.post('his.refunds.create', '/his/v1/refunds', {
  summary: 'Refund a completed order, fully or partly: insurance part through the centre (6203), self-pay part through the channel (C2, M6)',
  body: RefundBody,
  response: z.object({ orderNo: z.string(), orderState: z.enum(ORDER_STATES), refund: RefundView }),
});

export const getRefund = hisEndpoint.get('his.refunds.get', '/his/v1/orders/:orderNo/refunds/:refundNo', {
  summary: 'State of one refund',
  params: z.object({ orderNo: OrderNo, refundNo: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/) }),
  response: z.object({ orderNo: z.string(), orderState: z.enum(ORDER_STATES), refund: RefundView }),
});

export const hisApi = { pushMessage, messageStatus, createRefund, getRefund } as const;
