import crypto from 'node:crypto';
import { ERRORS, type ErrorCode } from '@mip/shared';
import type { WechatConfig } from '../../config/channels';
import { PeerError } from '../../peers/http-client';
import { ChannelRejectedError, type ChannelPort } from '../port';
import type * as port from '../port';
import { rfc3339China } from '../time';
import type { TokenCache } from '../tokens';
import { parseTradeBill, unpackTradeBill } from './bill';
import { isAlreadyExists, isRetryable, refundNoticeRetryable, WechatPayRejected } from './errors';
import { medInsOrderBody, mixPayType, sameOrder, type MedInsOrderEntity } from './med-ins';
import { toPaymentStatus } from './status';
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
  /** the back-off wait between retried answers (tests pass a recording one) */
  sleep?: (ms: number) => Promise<void>;
}

/** WeChat mini-program + WeChat Pay 移动医保 2.0 (direct merchant, WeChat Pay public-key mode). */
export class WechatChannel implements ChannelPort {
  readonly name = 'wechat' as const;
  // CASH_ONLY: an order that never reached the centre (开发参数与业务规则 §四, 接入质量检查 #6; med-ins.ts)
  readonly supportsCashOnly = true;
  private readonly pay: WechatPayHttp;
  private readonly mp: WechatMiniProgram;
  private readonly wechatpayKey: crypto.KeyObject;
  private readonly now: () => number;

  constructor(private readonly cfg: WechatConfig, deps: WechatChannelDeps) {
    this.now = deps.now ?? Date.now;
    this.pay = new WechatPayHttp(cfg, this.now, deps.sleep);
    this.mp = new WechatMiniProgram(cfg, deps.tokens);
    this.wechatpayKey = crypto.createPublicKey(cfg.wechatpayPublicKeyPem);
  }

  login(code: string): Promise<port.ChannelUser> {
    return this.mp.code2Session(code);
  }

  authorizeInsurance(q: { openId: string; authCode: string }): Promise<port.InsuranceAuthorization> {
    return userQuery(this.cfg, q.authCode, q.openId, this.now());
  }

  async createPayment(q: port.CreatePaymentInput): Promise<port.CreatedPayment> {
    const type = mixPayType(q);
    // the WeChat user pays (openid), and every mixed order carries the e-voucher authorization
    if (!q.openId || (type !== 'CASH_ONLY' && !q.payAuthNo)) throw new Error('a WeChat payment needs the openid and, for a mixed order, the payAuthNo');
    // 接入质量检查 #7: the JSAPI self-pay order and the mixed order share out_trade_no
    const prepayId = type === 'INSURANCE_ONLY' ? undefined : await this.prepay(q);
    const key = this.wechatpayKey;
    const body = medInsOrderBody(q, {
      appId: this.cfg.appId,
      cityId: this.cfg.cityId,
      medInstName: this.cfg.medInstName,
      medInstNo: this.cfg.medInstNo,
      medInsTestEnv: this.cfg.medInsTestEnv,
      geoLocation: q.location ?? this.cfg.hospitalGeoLocation,
      prepayId,
      passthrough: this.cfg.passthrough,
      encrypt: (plain) => encryptSensitive(plain, key),
      digest: idDigest,
    });
    let order: MedInsOrderEntity;
    try {
      // 接入质量检查 #3: Wechatpay-Serial = the id of the key the payer fields are encrypted with
      order = (await this.pay.call<MedInsOrderEntity>('med-ins-create', 'POST', '/v3/med-ins/orders', body, { 'wechatpay-serial': this.cfg.wechatpayPublicKeyId })).data;
    } catch (err) {
      // 排障手册 §2.6 Q5 / 268512536, 接入质量检查 #29: an earlier attempt with this out_trade_no got
      // through. Query it and reuse it when it is the same order, unpaid; anything else stays refused
      // (a failed one needs a new out_trade_no — the flow's decision, not ours).
      if (!isAlreadyExists(err)) throw err;
      order = await this.orderByOutTradeNo(q.orderNo);
      if (!['MIX_PAY_CREATED', 'MIX_PAY_USER_PAYING'].includes(order.mix_pay_status) || !sameOrder(order, q)) throw err;
    }
    return { payParams: this.payParams(order.mix_trade_no, prepayId), channelRef: order.mix_trade_no, outTradeNo: q.orderNo };
  }

  /**
   * Closes an unpaid order before it is cancelled. First the mixed order is read (排障手册 268560650
   * §: "冲正 / 关单前先做查单"): anything but MIX_PAY_CREATED / MIX_PAY_FAIL means the patient confirmed
   * or is confirming (MIX_PAY_USER_PAYING) — 'paying', the order must not be cancelled. Then the
   * mixed order is closed where its close path is configured (the copied guide names the close
   * action but not its path: `medInsClosePath`, inferred) and the JSAPI self-pay order is closed
   * (WeChat Pay APIv3 JSAPI 关闭订单, POST /v3/pay/transactions/out-trade-no/{no}/close), so the cash
   * leg can no longer be paid. 'closed': nothing can be paid any more.
   */
  async closePayment(q: { outTradeNo: string; channelRef: string }): Promise<'closed' | 'paying'> {
    const gone = (err: unknown, codes: string[]) => err instanceof ChannelRejectedError && codes.includes(err.code);
    const order = await this.orderByOutTradeNo(q.outTradeNo).catch((err: unknown) => {
      if (gone(err, ['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS', 'NOT_FOUND'])) return undefined;
      throw err;
    });
    if (order && order.mix_pay_status !== 'MIX_PAY_CREATED' && order.mix_pay_status !== 'MIX_PAY_FAIL') return 'paying';
    if (order?.mix_pay_status === 'MIX_PAY_CREATED' && this.cfg.medInsClosePath) {
      const path = this.cfg.medInsClosePath.replace('{out_trade_no}', encodeURIComponent(q.outTradeNo)).replace('{mix_trade_no}', encodeURIComponent(order.mix_trade_no));
      try {
        await this.pay.call('med-ins-close', 'POST', path, { mchid: this.cfg.mchId });
      } catch (err) {
        // 排障手册 268560650: 已完成验密，不允许关单
        if (err instanceof WechatPayRejected && (err.numericCode === '268560650' || /268560650/.test(err.message))) return 'paying';
        throw err;
      }
    }
    if (order?.mix_pay_type === 'INSURANCE_ONLY') return 'closed';
    try {
      await this.pay.call('jsapi-close', 'POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(q.outTradeNo)}/close`, { mchid: this.cfg.mchId });
    } catch (err) {
      if (gone(err, ['ORDERPAID'])) return 'paying';
      if (!gone(err, ['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS', 'ORDERCLOSED'])) throw err;
    }
    return 'closed';
  }

  /** JSAPI self-pay prepay; same out_trade_no as the mixed order. */
  private async prepay(q: port.CreatePaymentInput): Promise<string> {
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

  private payParams(mixTradeNo: string, prepayId: string | undefined): port.CreatedPayment['payParams'] {
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

  async queryPayment(q: { outTradeNo: string; channelRef: string }): Promise<port.ChannelPaymentStatus> {
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

  async parseNotification(req: port.NotificationRequest): Promise<port.ChannelNotification> {
    const { event, plain } = verifyAndDecrypt(req, this.pay.verifier, this.cfg.apiV3Key);
    return toChannelNotification(event, plain);
  }

  ackNotification(ok: boolean, refusal: ErrorCode = 'SIGNATURE_INVALID'): port.NotificationAck {
    if (ok) return { status: 204 };
    // WeChat Pay: any 4XX/5XX with {code, message} is a failure it retries; a refusal of ours is a 4XX
    return { status: ERRORS[refusal].status, contentType: 'application/json', body: JSON.stringify({ code: refusal, message: ERRORS[refusal].message }), errorCode: refusal };
  }

  async refundCash(q: port.CashRefundInput): Promise<port.CashRefundResult> {
    try {
      const r = await this.pay.call<RefundEntity>('refund', 'POST', '/v3/refund/domestic/refunds', refundBody(q, this.cfg.refundNotifyUrl));
      return toRefundResult(r.data);
    } catch (err) {
      // a rate limit or SYSTEM_ERROR still there after the retries is not a refusal: the outcome stays open
      if (err instanceof ChannelRejectedError && err.code !== 'SIGN_ERROR' && !isRetryable(err)) {
        return { status: 'failed', code: err.code, message: err.message };
      }
      throw err;
    }
  }

  /** 医保退款通知 (开发参数与业务规则 §七, 接入质量检查 #23): a merchant POST, after the cash refund */
  async notifyInsuranceRefund(q: port.InsuranceRefundNotice): Promise<port.InsuranceRefundNoticeResult> {
    const other = q.amounts.otherFundFen ?? 0;
    // med_refund_total_fee is the insurance total (gov + self + other), not the order total
    const body = {
      med_refund_total_fee: q.amounts.fundFen + q.amounts.acctFen + other,
      med_refund_gov_fee: q.amounts.fundFen,
      med_refund_self_fee: q.amounts.acctFen,
      med_refund_other_fee: other,
      // the insurance refund's own time (public-rules item 15), RFC 3339 +08:00 (排障手册 §2.8 E)
      refund_time: rfc3339China(q.refundedAt),
      // the same out_refund_no as the cash refund (开发参数与业务规则 §七)
      out_refund_no: q.refundNo,
    };
    try {
      await this.pay.call('med-ins-refund-notify', 'POST', `/v3/med-ins/refunds/notify?mix_trade_no=${encodeURIComponent(q.channelRef)}`, body);
      return { status: 'sent' };
    } catch (err) {
      if (!refundNoticeRetryable(err)) throw err;
      const code = err instanceof ChannelRejectedError ? err.code : err instanceof PeerError ? err.failure : 'UNKNOWN';
      return { status: 'retry', code, message: (err as Error).message };
    }
  }

  async downloadBill(date: string): Promise<port.ChannelBillRow[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('bill date must be YYYY-MM-DD');
    const meta = await this.pay.call<{ hash_type: string; hash_value: string; download_url: string }>(
      'tradebill',
      'GET',
      `/v3/bill/tradebill?bill_date=${date}&bill_type=ALL&tar_type=GZIP`,
    );
    const file = await this.pay.download('bill-download', meta.data.download_url);
    return parseTradeBill(unpackTradeBill(file, meta.data.hash_type, meta.data.hash_value));
  }

  async sendMessage(q: port.MessageInput): Promise<port.MessageResult> {
    try {
      return await this.mp.sendSubscribe(q);
    } catch (err) {
      if (err instanceof PeerError) return { status: 'retry', code: err.failure, message: err.message };
      if (err instanceof ChannelRejectedError) return { status: 'retry', code: err.code, message: err.message };
      throw err;
    }
  }
}
