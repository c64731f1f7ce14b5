import crypto from 'node:crypto';
import { ERRORS, type ErrorCode } from '@mip/shared';
import type { WechatConfig } from '../../config/channels';
import { PeerError } from '../../peers/http-client';
import {
  ChannelRejectedError,
  type CashRefundInput,
  type CashRefundResult,
  type ChannelBillRow,
  type ChannelNotification,
  type ChannelPaymentStatus,
  type ChannelPort,
  type ChannelUser,
  type CreatedPayment,
  type CreatePaymentInput,
  type InsuranceAuthorization,
  type MessageInput,
  type MessageResult,
  type NotificationAck,
  type NotificationRequest,
  type InsuranceRefundNotice,
  type InsuranceRefundNoticeResult,
} from '../port';
import { rfc3339China } from '../time';
import type { TokenCache } from '../tokens';
import { parseTradeBill, unpackTradeBill } from './bill';
import { medInsOrderBody, mixPayType, sameOrder, toPaymentStatus, type MedInsOrderEntity } from './med-ins';
import { WechatMiniProgram } from './mini-program';
import { toChannelNotification, verifyAndDecrypt } from './notify';
import { WechatPayHttp } from './pay-http';
import { refundBody, toRefundResult, type RefundEntity } from './refund';
import { encryptSensitive, idDigest } from './sensitive';
import { userQuery } from './user-query';
import { makeNonce } from './v3-sign';

export interface WechatChannelDeps {
  tokens: TokenCache;
  now?: () => number;
}

/** WeChat mini-program + WeChat Pay 移动医保 2.0 (direct merchant, WeChat Pay public-key mode). */
export class WechatChannel implements ChannelPort {
  readonly name = 'wechat' as const;
  private readonly pay: WechatPayHttp;
  private readonly mp: WechatMiniProgram;
  private readonly wechatpayKey: crypto.KeyObject;
  private readonly now: () => number;

  constructor(private readonly cfg: WechatConfig, deps: WechatChannelDeps) {
    this.now = deps.now ?? Date.now;
    this.pay = new WechatPayHttp(cfg, this.now);
    this.mp = new WechatMiniProgram(cfg, deps.tokens);
    this.wechatpayKey = crypto.createPublicKey(cfg.wechatpayPublicKeyPem);
  }

  login(code: string): Promise<ChannelUser> {
    return this.mp.code2Session(code);
  }

  authorizeInsurance(q: { openId: string; authCode: string }): Promise<InsuranceAuthorization> {
    return userQuery(this.cfg, q.authCode, q.openId, this.now());
  }

  async createPayment(q: CreatePaymentInput): Promise<CreatedPayment> {
    const type = mixPayType(q.amounts);
    const prepayId = type === 'INSURANCE_ONLY' ? undefined : await this.prepay(q);
    const body = medInsOrderBody(q, {
      appId: this.cfg.appId,
      cityId: this.cfg.cityId,
      medInstName: this.cfg.medInstName,
      medInstNo: this.cfg.medInstNo,
      medInsTestEnv: this.cfg.medInsTestEnv,
      geoLocation: q.location ?? this.cfg.hospitalGeoLocation,
      prepayId,
      encryptedName: encryptSensitive(q.payer.name, this.wechatpayKey),
      encryptedIdDigest: encryptSensitive(idDigest(q.payer.idNo), this.wechatpayKey),
    });
    let order: MedInsOrderEntity;
    try {
      order = (await this.pay.call<MedInsOrderEntity>('med-ins-create', 'POST', '/v3/med-ins/orders', body, { 'wechatpay-serial': this.cfg.wechatpayPublicKeyId })).data;
    } catch (err) {
      // 268512536: the out_trade_no exists (our earlier attempt got through). Reuse it only if it is
      // the same insurance order with the same split and still unpaid; anything else stays refused.
      if (!(err instanceof ChannelRejectedError && /268512536|ORDER_?EXIST/i.test(`${err.code} ${err.message}`))) throw err;
      order = await this.orderByOutTradeNo(q.orderNo);
      if (order.mix_pay_status !== 'MIX_PAY_CREATED' || !sameOrder(order, q)) throw err;
    }
    return { payParams: this.payParams(order.mix_trade_no, prepayId), channelRef: order.mix_trade_no, outTradeNo: q.orderNo };
  }

  /** JSAPI self-pay prepay; same out_trade_no as the mixed order. */
  private async prepay(q: CreatePaymentInput): Promise<string> {
    const r = await this.pay.call<{ prepay_id: string }>('jsapi', 'POST', '/v3/pay/transactions/jsapi', {
      appid: this.cfg.appId,
      mchid: this.cfg.mchId,
      description: q.title.slice(0, 127),
      out_trade_no: q.orderNo,
      time_expire: rfc3339China(q.expiresAt),
      notify_url: q.notifyUrl,
      amount: { total: q.amounts.cashFen, currency: 'CNY' },
      payer: { openid: q.openId },
    });
    if (!r.data?.prepay_id) throw new ChannelRejectedError('wechat', 'jsapi', 'NO_PREPAY_ID', 'no prepay_id in the answer');
    return r.data.prepay_id;
  }

  private payParams(mixTradeNo: string, prepayId: string | undefined): CreatedPayment['payParams'] {
    if (!prepayId) return { channel: 'wechat', mixTradeNo };
    const timeStamp = String(Math.floor(this.now() / 1000));
    const nonceStr = makeNonce();
    const pkg = `prepay_id=${prepayId}`;
    const message = `${this.cfg.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
    const paySign = crypto.sign('sha256', Buffer.from(message), this.pay.merchantKey).toString('base64');
    return { channel: 'wechat', mixTradeNo, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  private async orderByOutTradeNo(outTradeNo: string): Promise<MedInsOrderEntity> {
    const path = `/v3/med-ins/orders/out-trade-no/${encodeURIComponent(outTradeNo)}`;
    return (await this.pay.call<MedInsOrderEntity>('med-ins-query', 'GET', path)).data;
  }

  async queryPayment(q: { outTradeNo: string; channelRef: string }): Promise<ChannelPaymentStatus> {
    const order = q.channelRef
      ? (await this.pay.call<MedInsOrderEntity>('med-ins-query', 'GET', `/v3/med-ins/orders/mix-trade-no/${encodeURIComponent(q.channelRef)}`)).data
      : await this.orderByOutTradeNo(q.outTradeNo);
    const status = toPaymentStatus(order);
    if ((status.status === 'paid' || status.status === 'refunded') && (order.wechat_pay_cash_fee ?? 0) > 0) {
      status.cashTradeNo = await this.transactionId(order.out_trade_no);
    }
    return status;
  }

  /** The mixed order carries no transaction_id: the JSAPI order does (the bill is keyed by it). */
  private async transactionId(outTradeNo: string): Promise<string | undefined> {
    try {
      const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.cfg.mchId)}`;
      return (await this.pay.call<{ transaction_id?: string }>('jsapi-query', 'GET', path)).data?.transaction_id;
    } catch (err) {
      if (err instanceof PeerError || err instanceof ChannelRejectedError) return undefined;
      throw err;
    }
  }

  async parseNotification(req: NotificationRequest): Promise<ChannelNotification> {
    const { event, plain } = verifyAndDecrypt(req, this.pay.verifier, this.cfg.apiV3Key);
    return toChannelNotification(event, plain);
  }

  ackNotification(ok: boolean, refusal: ErrorCode = 'SIGNATURE_INVALID'): NotificationAck {
    if (ok) return { status: 204 };
    // WeChat Pay: any 4XX/5XX with {code, message} is a failure it retries; a refusal of ours is a 4XX
    return { status: ERRORS[refusal].status, contentType: 'application/json', body: JSON.stringify({ code: refusal, message: ERRORS[refusal].message }), errorCode: refusal };
  }

  async refundCash(q: CashRefundInput): Promise<CashRefundResult> {
    try {
      const r = await this.pay.call<RefundEntity>('refund', 'POST', '/v3/refund/domestic/refunds', refundBody(q, this.cfg.refundNotifyUrl));
      return toRefundResult(r.data);
    } catch (err) {
      if (err instanceof ChannelRejectedError && err.code !== 'SIGN_ERROR' && err.code !== 'SYSTEM_ERROR') {
        return { status: 'failed', code: err.code, message: err.message };
      }
      throw err;
    }
  }

  async notifyInsuranceRefund(q: InsuranceRefundNotice): Promise<InsuranceRefundNoticeResult> {
    // med_refund_total_fee is the insurance total (gov + self + other), not the order total.
    const insurance = q.amounts.fundFen + q.amounts.acctFen;
    await this.pay.call('med-ins-refund-notify', 'POST', `/v3/med-ins/refunds/notify?mix_trade_no=${encodeURIComponent(q.channelRef)}`, {
      med_refund_total_fee: insurance,
      med_refund_gov_fee: q.amounts.fundFen,
      med_refund_self_fee: q.amounts.acctFen,
      med_refund_other_fee: 0,
      refund_time: rfc3339China(q.refundedAt),
      out_refund_no: q.refundNo,
    });
    return { status: 'sent' };
  }

  async downloadBill(date: string): Promise<ChannelBillRow[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('bill date must be YYYY-MM-DD');
    const meta = await this.pay.call<{ hash_type: string; hash_value: string; download_url: string }>(
      'tradebill',
      'GET',
      `/v3/bill/tradebill?bill_date=${date}&bill_type=ALL&tar_type=GZIP`,
    );
    const file = await this.pay.download('bill-download', meta.data.download_url);
    return parseTradeBill(unpackTradeBill(file, meta.data.hash_type, meta.data.hash_value));
  }

  async sendMessage(q: MessageInput): Promise<MessageResult> {
    try {
      return await this.mp.sendSubscribe(q);
    } catch (err) {
      if (err instanceof PeerError) return { status: 'retry', code: err.failure, message: err.message };
      if (err instanceof ChannelRejectedError) return { status: 'retry', code: err.code, message: err.message };
      throw err;
    }
  }
}
