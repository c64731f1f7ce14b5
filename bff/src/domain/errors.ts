/**
 * The errors the product's own layers throw: flows, domain decisions, kiosk and staff use cases,
 * adapters. A `DomainError` says what went wrong in the terms of the business — a stable code
 * (`@mip/shared` ERRORS, never renamed once shipped), the message the person on the screen reads
 * (plain Chinese where a patient or staff member sees it), optional details and a kind — and
 * nothing about HTTP. The one place that turns it into an answer is bff/src/http/errors-middleware.ts
 * (status and default message from the contract, shared/src/errors.ts); a background job that meets
 * one reads its kind (e.g. `unavailable` / `awaiting`: try again later) instead of a status number.
 * Koa's model: any layer throws, one handler answers.
 */
import { ERRORS, type ErrorCode } from '@mip/shared';

export type ErrorKind =
  | 'invalid' //        the request itself is wrong (format, unknown choice); changes nothing
  | 'unprocessable' //  well-formed but cannot be done as asked (amounts disagree, not insured)
  | 'unauthorized' //   who is asking is not known or not proven (login, signature)
  | 'forbidden' //      known, but not allowed to do this
  | 'not_found' //      no such thing, or not this person's
  | 'conflict' //       the state of things does not allow it now (order state, duplicates)
  | 'too_many' //       rate limit
  | 'unavailable' //    a peer failed or refused: nothing was done, try again later
  | 'timeout' //        a peer did not answer in time: look at the order later
  | 'awaiting' //       the outcome is not confirmed yet: ask again later
  | 'internal'; //      our own fault

/** The kind of each stable code (what it means, not how HTTP says it). */
export const ERROR_KINDS: { readonly [C in ErrorCode]: ErrorKind } = {
  BAD_REQUEST: 'invalid',
  VALIDATION_FAILED: 'invalid',
  BODY_TOO_LARGE: 'invalid',
  UNSUPPORTED_MEDIA_TYPE: 'invalid',
  MALFORMED_JSON: 'invalid',
  INVALID_ID_NUMBER: 'invalid',
  UNKNOWN_REGION: 'invalid',
  UNKNOWN_BENEFIT: 'invalid',
  AMOUNT_MISMATCH: 'unprocessable',
  NOT_INSURED: 'unprocessable',
  IDENTITY_REQUIRED: 'conflict',
  AUTHORIZATION_REQUIRED: 'conflict',
  AUTHORIZATION_FAILED: 'unprocessable',
  FAMILY_LIMIT: 'conflict',
  FAMILY_DUPLICATE: 'conflict',
  FAMILY_MEMBER_NOT_FOUND: 'not_found',
  FAMILY_PAY_REQUIRED: 'conflict',
  UNAUTHENTICATED: 'unauthorized',
  LOGIN_FAILED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  SIGNATURE_INVALID: 'unauthorized',
  REPLAYED: 'conflict',
  RATE_LIMITED: 'too_many',
  NOT_FOUND: 'not_found',
  METHOD_NOT_ALLOWED: 'invalid',
  ORDER_NOT_FOUND: 'not_found',
  BILL_NOT_FOUND: 'not_found',
  SLOT_UNAVAILABLE: 'conflict',
  ORDER_STATE_CONFLICT: 'conflict',
  IDEMPOTENCY_CONFLICT: 'conflict',
  BILL_IN_OTHER_ORDER: 'conflict',
  ALREADY_REGISTERED: 'conflict',
  CANCEL_TOO_LATE: 'conflict',
  CANCEL_NOT_ALLOWED: 'conflict',
  CANCEL_UNCONFIRMED: 'awaiting',
  REFUND_ROLE_REQUIRED: 'forbidden',
  REFUND_EXCEEDS_PAYMENT: 'unprocessable',
  REFUND_NOT_ALLOWED: 'conflict',
  PEER_UNAVAILABLE: 'unavailable',
  PEER_TIMEOUT: 'timeout',
  PEER_REJECTED: 'unavailable',
  INTERNAL: 'internal',
};

export class DomainError extends Error {
  readonly kind: ErrorKind;
  /** `message`: what the person reads; the contract's message for `code` when not given. */
  constructor(readonly code: ErrorCode, message?: string, readonly details?: unknown, cause?: unknown) {
    super(message ?? ERRORS[code].message, cause === undefined ? undefined : { cause });
    this.name = 'DomainError';
    this.kind = ERROR_KINDS[code];
  }
}
