/**
 * The insurance-centre port: what the flows may know about a call to the centre, in domain
 * words. Wire codes (`2001`, `refStatus` SUCC/FAIL/EXP, `{code≠0}` bodies) stay in this folder.
 *
 *   settled / done          the centre did it (verified answer)
 *   refused(reason)         the centre said no, nothing happened
 *   authorization_expired   refused because the patient's payAuthNo/ecToken is spent or expired
 *   authorization_missing   not sent: the order holds no authorization a 6203 can carry
 *   unknown(reason)         no trustworthy answer: confirm (6301) before deciding anything
 */
import type { Split } from '@mip/shared';
import { PeerError } from '../peers/http-client';
import { isUnknownOutcome, NationalAuthorizationMissingError, NationalClient, NationalRejectedError } from './client';
import type { RefundAuthorization, RefundType } from './messages';

export type CentreRefusal =
  | { kind: 'refused'; reason: string }
  | { kind: 'authorization_expired'; reason: string }
  | { kind: 'authorization_missing'; reason: string }
  | { kind: 'unknown'; reason: string };

export type CentreRefundOutcome = { kind: 'refunded'; refundRef?: string; at?: string } | CentreRefusal;

/**
 * [I] The refusal codes that mean "the authorization is spent or expired": the code table is not
 * public; 2001 is what the sandbox and the mini-program path have used. Configurable by caller.
 */
export const DEFAULT_AUTHORIZATION_EXPIRED_CODES: readonly string[] = ['2001'];

/** Any error of a centre call as a domain refusal; rethrows what is not a peer failure (a bug). */
export function centreRefusalOf(err: unknown, expiredCodes: readonly string[] = DEFAULT_AUTHORIZATION_EXPIRED_CODES): CentreRefusal {
  if (err instanceof NationalAuthorizationMissingError) return { kind: 'authorization_missing', reason: err.detail };
  if (err instanceof NationalRejectedError) {
    const reason = `${err.code} ${err.detail}`.trim();
    return expiredCodes.includes(err.code) ? { kind: 'authorization_expired', reason } : { kind: 'refused', reason };
  }
  if (isUnknownOutcome(err) || err instanceof PeerError) return { kind: 'unknown', reason: (err as Error).message.slice(0, 200) };
  throw err;
}

export interface RefundRequest {
  payOrdId: string;
  appRefdSn: string;
  at: Date;
  amounts: Split;
  refdType: RefundType;
  authorization: RefundAuthorization | undefined;
  reason?: string;
}

/**
 * 6203 as a domain outcome. refStatus (TSX validate6203Response: SUCC | FAIL | EXP): SUCC is
 * refunded, FAIL refused; EXP and anything else are unknown — the refund is confirmed by query,
 * never recorded as failed on a word we cannot place.
 */
export async function refundAtCentre(client: Pick<NationalClient, 'refund'>, r: RefundRequest, expiredCodes?: readonly string[]): Promise<CentreRefundOutcome> {
  try {
    const a = await client.refund(r);
    if (a.refStatus === 'SUCC') return { kind: 'refunded', ...(a.refdSn ? { refundRef: a.refdSn } : {}), ...(a.hiTrnsDate ? { at: a.hiTrnsDate } : {}) };
    if (a.refStatus === 'FAIL') return { kind: 'refused', reason: 'refStatus FAIL' };
    return { kind: 'unknown', reason: `refStatus ${a.refStatus}` };
  } catch (err) {
    return centreRefusalOf(err, expiredCodes);
  }
}

/** True when a refusal of 6201/6202 means the patient must authorize again. */
export function isAuthorizationExpired(err: unknown, expiredCodes: readonly string[] = DEFAULT_AUTHORIZATION_EXPIRED_CODES): boolean {
  return err instanceof NationalRejectedError && !(err instanceof NationalAuthorizationMissingError) && expiredCodes.includes(err.code);
}
