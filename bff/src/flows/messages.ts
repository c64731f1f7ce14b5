/**
 * C4/C5: HIS tells us a registration or outpatient payment went through; the patient gets one
 * WeChat subscribe message or Alipay mini-program message per event, through the durable queue.
 * A patient who did not subscribe is recorded as undeliverable and not retried.
 */
import crypto from 'node:crypto';
import { chinaMinute, fenToYuan } from '@mip/shared';
import { job, type Job } from '../domain/jobs';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import { ChannelSignatureError, isChannelName } from '../channels/port';
import type { JobOutcome } from '../store/port';
import type { Deps } from './deps';
import type { MessageRecord, PaidEvent } from '../domain/paid-event';

export type { MessageRecord, PaidEvent };

/** How long an event's record (and with it the once-only guard of its eventId) is kept. */
export const EVENT_RECORD_TTL_SECONDS = 90 * 24 * 3600;
const TTL = EVENT_RECORD_TTL_SECONDS;
const MAX_ATTEMPTS = 8;

export type MessagesDeps = Pick<Deps, 'messages' | 'orders' | 'channels'>;

/** What makes two copies of an event the same event. */
function fingerprint(e: Pick<PaidEvent, 'type' | 'orderNo' | 'summary'>): string {
  return crypto.createHash('sha256').update(JSON.stringify([e.type, e.orderNo, e.summary.amountFen])).digest('hex');
}

/**
 * The record and its delivery job are stored in one step, once per eventId. The job carries the
 * record as accepted, so that its first run needs no read of it (deliverJob).
 */
export async function acceptPaidEvent(deps: Pick<Deps, 'messages'>, clientId: string, e: PaidEvent): Promise<{ accepted: true; duplicate: boolean }> {
  const rec: MessageRecord = { ...e, status: 'queued', attempts: 0, clientId };
  const prior = await deps.messages.accept(e.eventId, rec, TTL, job('message.deliver', e.eventId, { data: { record: JSON.stringify(rec) } }));
  if (!prior) return { accepted: true, duplicate: false };
  if (fingerprint(prior) !== fingerprint(e)) throw new DomainError('IDEMPOTENCY_CONFLICT', 'eventId already used for a different event');
  return { accepted: true, duplicate: true };
}

export async function messageStatus(deps: Pick<Deps, 'messages'>, eventId: string) {
  const r = await deps.messages.get(eventId);
  if (!r) throw new DomainError('NOT_FOUND');
  return { eventId, status: r.status, attempts: r.attempts, ...(r.detail ? { detail: r.detail } : {}) };
}

function chinaTimeText(iso: string): string {
  return chinaMinute(iso);
}

/**
 * The record a job carries, when it is surely the stored one: the job's first run from an entry
 * never handed out before. Only this job's runs write the record after the accept step that wrote
 * both (once per eventId), and a retry or a claimed entry may follow a run that did.
 */
function carriedRecord(j: Pick<Job, 'data'> & { attempt: number; redelivered: boolean }): MessageRecord | null {
  if (j.attempt !== 1 || j.redelivered || !j.data?.record) return null;
  return JSON.parse(j.data.record) as MessageRecord;
}

/** Job message.deliver. */
export async function deliverJob(deps: MessagesDeps, j: Pick<Job, 'key' | 'data'> & { attempt: number; redelivered: boolean }): Promise<JobOutcome> {
  const { key: eventId, attempt } = j;
  const rec = carriedRecord(j) ?? (await deps.messages.get(eventId));
  if (!rec || rec.status !== 'queued') return 'done';
  const save = (r: Partial<MessageRecord>) => deps.messages.put(eventId, { ...rec, ...r, attempts: attempt }, TTL);
  const order = await deps.orders.get(rec.orderNo);
  // an order made without a channel user (at a kiosk) has nobody to message
  if (!order || !order.openId || !isChannelName(order.channel)) {
    await save({ status: 'undeliverable', detail: order ? 'order was not made in a mini-program' : 'unknown order number' });
    return 'done';
  }
  const channel = deps.channels[order.channel];
  let result;
  try {
    result = await channel.sendMessage({
      openId: order.openId,
      template: rec.type === 'registration_paid' ? 'registrationPaid' : 'outpatientPaid',
      page: `pages/order-detail/index?orderNo=${order.orderNo}`,
      fields: {
        title: rec.summary.title.slice(0, 20),
        patientNameMasked: order.patientMasked.nameMasked,
        amountText: `${fenToYuan(rec.summary.amountFen)}元`,
        time: chinaTimeText(rec.occurredAt),
        note: rec.type === 'registration_paid' ? '请按预约时间到院就诊' : '请按医嘱取药或检查',
      },
    });
  } catch (err) {
    if (!(err instanceof PeerError) && !(err instanceof ChannelSignatureError)) throw err;
    result = { status: 'retry' as const, code: 'PEER', message: (err as Error).message };
  }
  if (result.status === 'sent') {
    await save({ status: 'sent', detail: result.messageId ?? '' });
    return 'done';
  }
  if (result.status === 'undeliverable') {
    await save({ status: 'undeliverable', detail: `${result.code} ${result.message}` });
    return 'done';
  }
  if (attempt >= MAX_ATTEMPTS) {
    await save({ status: 'failed', detail: `${result.code} ${result.message}` });
    return 'done';
  }
  await save({ detail: `${result.code} ${result.message}` });
  return { retryInMs: Math.min(10 * 60_000, 2000 * 2 ** (attempt - 1)) };
}
