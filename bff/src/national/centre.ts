/**
 * The insurance-centre port (national/port.ts) over the national client: every wire answer —
 * refusal codes, refStatus, unsigned `{code≠0}` bodies, timeouts, 6302 envelopes — becomes a
 * domain outcome here and nowhere else.
 */
import type { NationalConfig } from '../config/national';
import { PeerError } from '../peers/http-client';
import { isUnknownOutcome, NationalAuthorizationMissingError, NationalClient, NationalRejectedError } from './client';
import { EnvelopeError, open } from './envelope';
import { NationalFormatError, NationalRequestError, parseNotification, type Data } from './messages';
import type {
  CentreAck,
  CentreAuthorizationMissing,
  CentreFailure,
  CentreNotification,
  CentreOrderRef,
  FeeUploadOutcome,
  FeeUploadRequest,
  InsuranceCentre,
  PlaceOrderOutcome,
  PlaceOrderRequest,
  QueryOutcome,
  RefundOutcome,
  RefundRequest,
  RevokeOutcome,
} from './port';

/** [I] The refusal codes that mean "the authorization is spent or expired" (config national.authorizationExpiredCodes). */
export const DEFAULT_AUTHORIZATION_EXPIRED_CODES: readonly string[] = ['2001'];

export type CentreClient = Pick<NationalClient, 'uploadFees' | 'placeOrder' | 'querySettlement' | 'revokeUpload' | 'refund'>;
export type CentreSettings = Pick<NationalConfig, 'appId' | 'appSecret' | 'platformPublicKey' | 'sm2UserId' | 'maxSkewMs' | 'notifyAck'> &
  Partial<Pick<NationalConfig, 'authorizationExpiredCodes'>>;

const brief = (err: unknown) => (err as Error).message.slice(0, 200);

/**
 * Any error of a centre call as a domain outcome; rethrows what is not a centre failure (a bug).
 *  - a business refusal (signed, or an unsigned `{code≠0}` to anything but 6203): refused, or
 *    authorization_expired for the configured codes;
 *  - an unsigned `{code≠0}` to a 6203 (the client makes it a protocol error: TSX treats a body
 *    without encData as a contract error), a timeout, a broken connection, a 5xx, an answer that
 *    fails its signature or its format: unknown — never a final refusal;
 *  - a request that never left (connection refused, a 4xx of the transport): unavailable.
 */
export function centreFailureOf(err: unknown, expiredCodes: readonly string[] = DEFAULT_AUTHORIZATION_EXPIRED_CODES): CentreFailure | CentreAuthorizationMissing {
  if (err instanceof NationalAuthorizationMissingError) return { kind: 'authorization_missing', reason: err.detail };
  if (err instanceof NationalRejectedError) {
    const reason = `${err.code} ${err.detail}`.trim();
    return expiredCodes.includes(err.code) ? { kind: 'authorization_expired', reason } : { kind: 'refused', code: err.code, reason };
  }
  if (err instanceof NationalRequestError) return { kind: 'not_sendable', reason: brief(err) };
  if (err instanceof PeerError && err.outcomeUnknown) return { kind: 'unknown', reason: brief(err), why: err.failure === 'timeout' ? 'timeout' : 'no_answer' };
  if (isUnknownOutcome(err) || err instanceof NationalFormatError) return { kind: 'unknown', reason: brief(err), why: 'untrusted_answer' };
  if (err instanceof PeerError) return { kind: 'unavailable', reason: brief(err) };
  throw err;
}

/** centreFailureOf for calls that carry no 6203 authorization check */
function failureOf(err: unknown, expiredCodes: readonly string[]): CentreFailure {
  const f = centreFailureOf(err, expiredCodes);
  // only 6203 checks the authorization before sending; anything else marked so is a bug
  if (f.kind === 'authorization_missing') throw err;
  return f;
}

export class NationalCentre implements InsuranceCentre {
  private readonly expiredCodes: readonly string[];

  constructor(private readonly client: CentreClient, private readonly cfg: CentreSettings) {
    this.expiredCodes = cfg.authorizationExpiredCodes ?? DEFAULT_AUTHORIZATION_EXPIRED_CODES;
  }

  async uploadFees(r: FeeUploadRequest): Promise<FeeUploadOutcome> {
    try {
      const a = await this.client.uploadFees(r);
      return { kind: 'uploaded', payOrdId: a.payOrdId, payToken: a.payToken, ...(a.mdtrtId ? { mdtrtId: a.mdtrtId } : {}) };
    } catch (err) {
      return failureOf(err, this.expiredCodes);
    }
  }

  async placeOrder(r: PlaceOrderRequest): Promise<PlaceOrderOutcome> {
    const { regionCode, ...order } = r;
    try {
      return { kind: 'ordered', status: await this.client.placeOrder(order, regionCode) };
    } catch (err) {
      return failureOf(err, this.expiredCodes);
    }
  }

  async querySettlement(r: CentreOrderRef): Promise<QueryOutcome> {
    try {
      return { kind: 'answered', status: await this.client.querySettlement(r) };
    } catch (err) {
      return failureOf(err, this.expiredCodes);
    }
  }

  async revokeUpload(r: CentreOrderRef): Promise<RevokeOutcome> {
    try {
      // TSX validate6401Response: `success === true`, nothing else, means revoked (national/client.ts)
      await this.client.revokeUpload(r);
      return { kind: 'revoked' };
    } catch (err) {
      return failureOf(err, this.expiredCodes);
    }
  }

  /**
   * 6203. refStatus (TSX validate6203Response: SUCC | FAIL | EXP): SUCC refunded, FAIL refused,
   * EXP abnormal (national notes §11: "query 6301 ordStas 7–11"); a word we cannot place is
   * unknown — the refund is confirmed by query, never recorded as failed.
   */
  async refund(r: RefundRequest): Promise<RefundOutcome> {
    try {
      const a = await this.client.refund(r);
      if (a.refStatus === 'SUCC') return { kind: 'refunded', ...(a.refdSn ? { refundRef: a.refdSn } : {}), ...(a.hiTrnsDate ? { at: a.hiTrnsDate } : {}) };
      if (a.refStatus === 'FAIL') return { kind: 'refused', code: 'FAIL', reason: '6203 refStatus=FAIL' };
      if (a.refStatus === 'EXP') return { kind: 'abnormal', reason: '6203 refStatus=EXP' };
      return { kind: 'unknown', reason: `6203 refStatus=${a.refStatus}`, why: 'untrusted_answer' };
    } catch (err) {
      return centreFailureOf(err, this.expiredCodes);
    }
  }

  /**
   * Opens a 6302. An authentic copy sealed longer ago than maxSkewMs (the centre repeating a
   * notification hours later) is still accepted — marked stale, so it only prompts a 6301.
   */
  openNotification(raw: Buffer): CentreNotification {
    let data: Data;
    let stale = false;
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      const c = this.cfg;
      const creds = { appId: c.appId, appSecret: c.appSecret, peerPublicKey: c.platformPublicKey, userId: c.sm2UserId };
      try {
        data = open(body, creds, c.maxSkewMs ? { maxSkewMs: c.maxSkewMs } : {});
      } catch (err) {
        if (!(err instanceof EnvelopeError && err.code === 'TIMESTAMP_SKEW')) throw err;
        data = open(body, creds);
        stale = true;
      }
    } catch (err) {
      const detail = err instanceof EnvelopeError ? err.code : 'MALFORMED';
      const why = detail === 'SIGNATURE_INVALID' || detail === 'APP_ID_MISMATCH' ? 'signature' : detail === 'TIMESTAMP_SKEW' ? 'replayed' : 'malformed';
      return { kind: 'refused', why, detail };
    }
    try {
      return { kind: 'report', report: parseNotification(data), stale };
    } catch (err) {
      if (err instanceof NationalFormatError) return { kind: 'refused', why: 'malformed', detail: 'MALFORMED', message: err.message };
      throw err;
    }
  }

  /**
   * The acknowledgement of an accepted 6302: TSX answers HTTP 200 `{success, message}`
   * (MedicalInsuranceNotificationService, MedicalInsuranceNotificationAck); `{code:0}` by configuration.
   */
  notificationAccepted(): CentreAck {
    return { status: 200, body: this.cfg.notifyAck === 'tsx' ? { success: true, message: '成功' } : { code: 0, message: '成功' } };
  }
}
