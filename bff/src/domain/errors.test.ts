import { ERRORS, type ErrorCode } from '@mip/shared';
import { DomainError, ERROR_KINDS, type ErrorKind } from './errors';

/** What each kind may be called in HTTP — written here from RFC 9110 §15, not taken from the middleware. */
const STATUSES_OF_KIND: Record<ErrorKind, number[]> = {
  invalid: [400, 405, 413, 415],
  unprocessable: [422],
  unauthorized: [401],
  forbidden: [403],
  not_found: [404],
  conflict: [409],
  too_many: [429],
  unavailable: [502, 503],
  timeout: [504],
  awaiting: [503],
  internal: [500],
};

describe('DomainError', () => {
  it('gives every stable code a kind that agrees with the status the contract publishes for it', () => {
    const disagreeing = (Object.keys(ERRORS) as ErrorCode[]).filter((c) => !STATUSES_OF_KIND[ERROR_KINDS[c]].includes(ERRORS[c].status));
    expect(disagreeing).toEqual([]);
  });

  it('carries the contract’s message for its code when the thrower gives none', () => {
    const e = new DomainError('ORDER_NOT_FOUND');
    expect([e.code, e.kind, e.message]).toEqual(['ORDER_NOT_FOUND', 'not_found', ERRORS.ORDER_NOT_FOUND.message]);
  });

  it('keeps the thrower’s message, details and cause', () => {
    const cause = new Error('centre timeout');
    const e = new DomainError('PEER_TIMEOUT', '医保中心暂未答复，请稍后查看订单', { orderNo: 'X1' }, cause);
    expect([e.message, e.details, e.cause, e.kind]).toEqual(['医保中心暂未答复，请稍后查看订单', { orderNo: 'X1' }, cause, 'timeout']);
  });
});
