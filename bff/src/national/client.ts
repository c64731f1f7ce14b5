/**
 * Client of the local mobile-payment centre. Seals every request (SM4 + SM2), opens and
 * verifies every answer with the platform key, and reports three kinds of result:
 *   - an answer (verified data),
 *   - a business refusal (NationalRejectedError: the centre said no, nothing happened),
 *   - an unknown outcome (PeerError with outcomeUnknown, or NationalProtocolError for an answer
 *     we cannot trust) — the caller must confirm with 6301 before deciding anything.
 */
import type { NationalConfig } from '../config/national';
import { peerRequest, PeerError } from '../peers/http-client';
import { EnvelopeError, open, seal } from './envelope';
import {
  type Data,
  feeUploadData,
  type FeeUploadInput,
  orderRefData,
  parseFeeUpload,
  parseOrderAnswer,
  parseRefund,
  payOrderData,
  type PayOrderInput,
  refundData,
  type OrderAnswer,
  type RefundAnswer,
  type RefundType,
  chinaTime,
} from './messages';
import type { Split } from '@mip/shared';

export type Infno = '6201' | '6202' | '6203' | '6301' | '6401';

export class NationalRejectedError extends Error {
  constructor(readonly infno: Infno, readonly code: string, readonly detail: string) {
    super(`centre refused ${infno}: ${code} ${detail}`);
    this.name = 'NationalRejectedError';
  }
}

/** The centre answered something we cannot verify or understand: treat as an unknown outcome. */
export class NationalProtocolError extends Error {
  constructor(readonly infno: Infno, message: string) {
    super(`centre ${infno}: ${message}`);
    this.name = 'NationalProtocolError';
  }
}

export function isUnknownOutcome(err: unknown): boolean {
  return (err instanceof PeerError && err.outcomeUnknown) || err instanceof NationalProtocolError;
}

export interface CallObserver {
  (infno: Infno, ms: number, outcome: string): void;
}

export class NationalClient {
  constructor(private readonly cfg: NationalConfig, private readonly observe?: CallObserver) {}

  private get creds() {
    return { appId: this.cfg.appId, appSecret: this.cfg.appSecret, privateKey: this.cfg.privateKey, userId: this.cfg.sm2UserId };
  }

  timestamp(now = new Date()): string {
    return this.cfg.timestampFormat === 'epoch-ms' ? String(now.getTime()) : chinaTime(now, true);
  }

  private async call(infno: Infno, path: string, data: Data): Promise<Data> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      const envelope = seal(data, this.creds, { timestamp: this.timestamp(), version: this.cfg.version });
      const res = await peerRequest({
        peer: 'national',
        op: infno,
        url: this.cfg.baseUrl + path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
        timeoutMs: this.cfg.timeoutMs,
      });
      let body: unknown;
      try {
        body = JSON.parse(res.text());
      } catch {
        throw new NationalProtocolError(infno, 'answer is not JSON');
      }
      return this.openAnswer(infno, body);
    } catch (err) {
      outcome = err instanceof NationalRejectedError ? `rejected ${err.code}` : err instanceof PeerError ? err.failure : 'protocol';
      throw err;
    } finally {
      this.observe?.(infno, performance.now() - started, outcome);
    }
  }

  private openAnswer(infno: Infno, body: unknown): Data {
    if (!body || typeof body !== 'object') throw new NationalProtocolError(infno, 'answer is not an object');
    const b = body as Record<string, unknown>;
    if (typeof b.encData !== 'string' || typeof b.signData !== 'string') {
      // Business errors come as {code, message} without encData (notes §2.2). A body that is
      // neither is not trusted either way.
      const code = b.code ?? b.errCode;
      if (code !== undefined && String(code) !== '0') {
        throw new NationalRejectedError(infno, String(code), String(b.message ?? b.msg ?? ''));
      }
      throw new NationalProtocolError(infno, 'answer has neither encData nor an error code');
    }
    try {
      return open(b, {
        appId: this.cfg.appId,
        appSecret: this.cfg.appSecret,
        peerPublicKey: this.cfg.platformPublicKey,
        userId: this.cfg.sm2UserId,
      }) as Data;
    } catch (err) {
      if (err instanceof EnvelopeError) throw new NationalProtocolError(infno, `answer refused: ${err.code}`);
      throw err;
    }
  }

  /** 6201 费用明细上传 */
  async uploadFees(i: Omit<FeeUploadInput, 'orgCodg'>): Promise<{ payOrdId: string; payToken: string; mdtrtId?: string }> {
    const d = await this.call('6201', this.cfg.paths.feeUpload, feeUploadData({ ...i, orgCodg: this.cfg.orgCodg }));
    return parseFeeUpload(d);
  }

  /** 6202 支付下单: orgBizSer must be new for every call */
  async placeOrder(i: Omit<PayOrderInput, 'orgCodg'>): Promise<OrderAnswer> {
    const d = await this.call('6202', this.cfg.paths.payOrder, payOrderData({ ...i, orgCodg: this.cfg.orgCodg }));
    return parseOrderAnswer('6202', d);
  }

  /** 6301 医保订单结算结果查询 */
  async querySettlement(i: { payOrdId: string; payToken: string; identity: { idNo: string; name: string } }): Promise<OrderAnswer> {
    const d = await this.call('6301', this.cfg.paths.querySettlement, orderRefData({ ...i, orgCodg: this.cfg.orgCodg }));
    return parseOrderAnswer('6301', d);
  }

  /** 6401 费用明细上传撤销 */
  async revokeUpload(i: { payOrdId: string; payToken: string; identity: { idNo: string; name: string } }): Promise<void> {
    await this.call('6401', this.cfg.paths.revokeUpload, orderRefData({ ...i, orgCodg: this.cfg.orgCodg }));
  }

  /** 6203 医保退费: appRefdSn is the idempotency key of one refund */
  async refund(i: { payOrdId: string; appRefdSn: string; at: Date; amounts: Split; refdType: RefundType; payAuthNo?: string; reason?: string }): Promise<RefundAnswer> {
    const d = await this.call('6203', this.cfg.paths.refund, refundData(i));
    return parseRefund(d);
  }
}
