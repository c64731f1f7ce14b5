/**
 * The centre's cashier (收银台, SPC) as a payment channel, so a kiosk order is paid like a
 * mini-program order: the same flows, another authorization (the e-voucher ecToken in 6201/6202)
 * and this channel for the part the patient pays on their phone. Wire format: messages.ts, from
 * the official cashier SDK sample `SpcClientTest.java`. The cashier belongs to the centre, so:
 *  - the unified order and the callback use the centre's envelope (SpcClientUtils.sendRequest /
 *    decAndVerifyPlafRequest take the same appId, appSecret, channel key and platform key);
 *  - [I] its order query and refund interfaces (the sample's "4.2–4.4") are not public: a query
 *    asks the centre (6301 on the same payOrdId) and the self-pay part goes back through 6203 with
 *    refdType CASH, as the kiosk path did before this channel existed.
 */
import { classifyOrdStas } from '../../domain/ord-stas';
import { isUnknownOutcome, NationalRejectedError, type NationalClient } from '../../national/client';
import { EnvelopeError, open, seal } from '../../national/envelope';
import { peerRequest, PeerError } from '../../peers/http-client';
import { ChannelRejectedError, ChannelSignatureError, type ChannelPort } from '../port';
import type * as port from '../port';
import type { ErrorCode } from '@mip/shared';
import { CashierFormatError, cashierUrlOf, parseCallback, unifiedOrderData } from './messages';
import type { CashierConfig } from '../../kiosk/config';

export interface CashierCentre {
  baseUrl: string;
  appId: string;
  appSecret: string;
  privateKey: string;
  platformPublicKey: string;
  sm2UserId: string;
  version: string;
  orgCodg: string;
  orgName: string;
  timeoutMs: number;
  settledOrdStas: readonly string[];
}

/** What a 6301 needs besides the payOrdId: the order's payToken and the patient. */
export type CentreOrderLookup = (outTradeNo: string) => Promise<{ payOrdId: string; payToken: string; identity: { idNo: string; name: string } } | null>;

export class CashierChannel implements ChannelPort {
  readonly name = 'cashier' as const;

  constructor(
    private readonly cfg: CashierConfig & { baseUrl: string; frontBackUrl: string },
    private readonly centre: CashierCentre,
    private readonly national: Pick<NationalClient, 'querySettlement' | 'refund' | 'timestamp'>,
    private readonly lookup: CentreOrderLookup,
  ) {}

  private unsupported(op: string): never {
    throw new ChannelRejectedError('cashier', op, 'NOT_SUPPORTED', 'the centre cashier has no such operation');
  }

  async login(): Promise<port.ChannelUser> {
    return this.unsupported('login');
  }

  async authorizeInsurance(): Promise<port.InsuranceAuthorization> {
    return this.unsupported('authorizeInsurance'); // the kiosk's authorization is the e-voucher QR (kiosk/e-voucher.ts)
  }

  /** 4.1 支付下单 UNION_CHS: the cashier page for this order, shown at the kiosk as a QR code. */
  async createPayment(q: port.CreatePaymentInput): Promise<port.CreatedPayment> {
    // the centre's cashier only pays an order the centre holds (UNION_CHS needs its payOrdId)
    if (!q.payOrdId) throw new Error('the centre cashier needs the centre order (payOrdId)');
    const payOrdId = q.payOrdId;
    const data = unifiedOrderData({
      orgCode: this.centre.orgCodg,
      orgName: this.centre.orgName,
      operator: this.cfg.operator,
      payer: q.payer,
      payOrdId,
      outTradeNo: q.orderNo,
      frontBackUrl: this.cfg.frontBackUrl,
      syncCalUrl: q.notifyUrl,
      amounts: q.amounts,
    });
    const answer = await this.sealedCall('unifiedOrder', this.cfg.baseUrl + this.cfg.unifiedOrderPath, data);
    let cashierUrl: string;
    try {
      cashierUrl = cashierUrlOf(answer);
    } catch (err) {
      if (err instanceof CashierFormatError) throw new PeerError('cashier', 'unifiedOrder', 'broken', err.message);
      throw err;
    }
    return { payParams: { channel: 'kiosk', qrCode: cashierUrl, expiresAt: q.expiresAt }, channelRef: payOrdId, outTradeNo: q.orderNo };
  }

  /** [I] no public cashier query: the centre's 6301 on the same payOrdId says whether the cashier was paid. */
  async queryPayment(q: { outTradeNo: string; channelRef: string }): Promise<port.ChannelPaymentStatus> {
    const ref = await this.lookup(q.outTradeNo);
    const base = { channelRef: q.channelRef, outTradeNo: q.outTradeNo };
    if (!ref || ref.payOrdId !== q.channelRef) return { ...base, status: 'unknown' };
    const a = await this.national.querySettlement(ref);
    switch (classifyOrdStas(a.ordStas, this.centre.settledOrdStas)) {
      case 'settled':
      case 'refunded':
        return a.split ? { ...base, status: 'paid', cashPaidFen: a.split.cashFen } : { ...base, status: 'unknown' };
      case 'processing':
        return { ...base, status: 'pending' };
      case 'failed':
      case 'cancelled':
        return { ...base, status: 'failed' };
      default:
        return { ...base, status: 'unknown' };
    }
  }

  /** The cashier's back-end callback (syncCalUrl): verified with the platform key before anything is read. */
  async parseNotification(req: port.NotificationRequest): Promise<port.ChannelNotification> {
    let data: Record<string, unknown>;
    try {
      const body: unknown = JSON.parse(req.rawBody.toString('utf8'));
      // no timestamp window: the cashier may call again much later, and a replay changes nothing
      data = open(body, { appId: this.centre.appId, appSecret: this.centre.appSecret, peerPublicKey: this.centre.platformPublicKey, userId: this.centre.sm2UserId });
    } catch (err) {
      throw new ChannelSignatureError('cashier', err instanceof EnvelopeError ? err.code : 'not an envelope');
    }
    return parseCallback(data, this.cfg);
  }

  ackNotification(ok: boolean, refusal: ErrorCode = 'SIGNATURE_INVALID'): port.NotificationAck {
    if (ok) return { status: 200, contentType: 'application/json', body: this.cfg.ackBody };
    return { status: 400, contentType: 'application/json', body: JSON.stringify({ code: refusal, message: 'callback refused' }), errorCode: refusal };
  }

  /**
   * [I] The self-pay part goes back through the centre: 6203 refdType CASH, appRefdSn `${refundNo}C`
   * (the same number on every attempt, so a repeat refunds nothing twice). An answer we cannot
   * authenticate or did not get is never final (public-rules item 9): 'processing', asked again.
   */
  async refundCash(q: port.CashRefundInput): Promise<port.CashRefundResult> {
    try {
      const r = await this.national.refund({
        payOrdId: q.channelRef,
        appRefdSn: `${q.refundNo}C`,
        at: new Date(),
        amounts: { totalFen: q.refundFen, fundFen: 0, acctFen: 0, cashFen: q.refundFen },
        refdType: 'CASH',
        authorization: q.insuranceAuthorization,
        reason: q.reason,
      });
      if (r.refStatus === 'SUCC') return { status: 'succeeded', ...(r.refdSn ? { channelRefundId: r.refdSn } : {}) };
      if (r.refStatus === 'FAIL') return { status: 'failed', code: 'FAIL', message: '6203 自费退款失败' };
      return { status: 'processing' };
    } catch (err) {
      if (err instanceof NationalRejectedError || isUnknownOutcome(err) || err instanceof PeerError) return { status: 'processing' };
      throw err;
    }
  }

  /** The insurance refund went through the same centre: nobody to tell. */
  async notifyInsuranceRefund(): Promise<port.InsuranceRefundNoticeResult> {
    return { status: 'not_needed' };
  }

  /** [?] the cashier's daily bill is not public; the centre's 6301 answers per order. */
  async downloadBill(): Promise<port.ChannelBillRow[]> {
    return this.unsupported('downloadBill');
  }

  /** The patient has no channel account here: nothing to send. */
  async sendMessage(): Promise<port.MessageResult> {
    return { status: 'undeliverable', code: 'NO_CHANNEL_USER', message: 'the centre cashier sends no patient messages' };
  }

  /** One request in the centre's envelope (SpcClientUtils.sendRequest): answers opened with the platform key. */
  private async sealedCall(op: string, url: string, data: Record<string, string>): Promise<Record<string, unknown>> {
    const c = this.centre;
    const envelope = seal(data, { appId: c.appId, appSecret: c.appSecret, privateKey: c.privateKey, userId: c.sm2UserId }, { timestamp: this.national.timestamp(), version: c.version });
    const res = await peerRequest({ peer: 'cashier', op, url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope), timeoutMs: this.cfg.timeoutMs });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(res.text()) as Record<string, unknown>;
    } catch {
      throw new PeerError('cashier', op, 'broken', 'answer is not JSON');
    }
    if (typeof body?.encData !== 'string') {
      const code = String(body?.code ?? '');
      if (code && code !== '0') throw new ChannelRejectedError('cashier', op, code, String(body.message ?? ''));
      throw new PeerError('cashier', op, 'broken', 'answer has neither encData nor an error code');
    }
    try {
      return open(body, { appId: c.appId, appSecret: c.appSecret, peerPublicKey: c.platformPublicKey, userId: c.sm2UserId });
    } catch (err) {
      if (err instanceof EnvelopeError) throw new PeerError('cashier', op, 'broken', `answer refused: ${err.code}`);
      throw err;
    }
  }
}
