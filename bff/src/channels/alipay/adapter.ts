import { isPlainNotification, plainRefundBiz, plainTradeBiz, toCreatedPlain, toPlainNotification, toPlainStatus } from './plain';
import crypto from 'node:crypto';
import { ERRORS, fenToYuan, type ErrorCode } from '@mip/shared';
import type { AlipayConfig } from '../../config/channels';
import { PeerError } from '../../peers/http-client';
import { ChannelRejectedError, ChannelSignatureError, type ChannelPort } from '../port';
import type * as port from '../port';
import { templateData } from '../template-data';
import { chinaPlainToIso } from '../time';
import { detailCsvFromZip, parseAlipayDetail } from './bill';
import { AlipayGateway, AlipayRejectedError } from './gateway';
import { createAndPayBiz, toCreatedPayment, toNotification, toPaymentStatus } from './medical';
import { verifyNotificationParams } from './sign';
import { readRefund } from './status';
import { medicalUserField, messageUserField, userOf } from './user-field';

const PAY_AUTH_TTL_SECONDS = 240;

/** Alipay mini-program + 医保移动支付 (alipay.commerce.medical.*) over the v2 gateway. */
export class AlipayChannel implements ChannelPort {
  readonly name = 'alipay' as const;
  // 自费: a plain trade (plain.ts)
  readonly supportsCashOnly = true;
  readonly gateway: AlipayGateway;

  constructor(private readonly cfg: AlipayConfig, deps: { now?: () => number } = {}) {
    this.gateway = new AlipayGateway(cfg, deps.now);
  }

  /** user_id or open_id by configuration (user-field.ts) */
  private async oauth(code: string): Promise<{ userId: string; unionId?: string; accessToken?: string }> {
    // grant_type and code are public parameters, not biz_content
    const r = await this.gateway.call('alipay.system.oauth.token', { params: { grant_type: 'authorization_code', code }, op: 'oauth.token' });
    const u = userOf(r, this.cfg.userIdType);
    return { userId: u.id, ...(u.unionId ? { unionId: u.unionId } : {}), accessToken: r.access_token as string | undefined };
  }

  async login(code: string): Promise<port.ChannelUser> {
    const u = await this.oauth(code);
    return { openId: u.userId, ...(u.unionId ? { unionId: u.unionId } : {}) };
  }

  async authorizeInsurance(q: { openId: string; authCode: string }): Promise<port.InsuranceAuthorization> {
    const user = await this.oauth(q.authCode);
    if (user.userId !== q.openId) throw new ChannelRejectedError('alipay', 'authinfo.auth.query', 'USER_MISMATCH', 'the auth code belongs to another user');
    const r = await this.gateway.call('alipay.commerce.medical.authinfo.auth.query', {
      op: 'authinfo.auth.query',
      params: user.accessToken ? { auth_token: user.accessToken } : {},
      biz: {
        [medicalUserField(this.cfg.userIdType)]: user.userId,
        call_url: this.cfg.authCallUrl,
        ol_biz_type_code: this.cfg.olBizTypeCode,
        org_app_id: this.cfg.orgAppId,
        org_chnl_crtf_code: this.cfg.orgChnlCrtfCode,
        org_code: this.cfg.orgNo,
        req_biz_no: crypto.randomUUID().replaceAll('-', ''),
      },
    });
    const info = (typeof r.data === 'object' && r.data !== null ? r.data : r) as Record<string, string | undefined>;
    if (info.auth_stas === '1' && info.pay_auth_no) {
      if (!info.pay_auth_no.startsWith('AUTH')) throw new ChannelRejectedError('alipay', 'authinfo.auth.query', 'INVALID_PAY_AUTH_NO', 'not an AUTH… number');
      const family = info.rels_pay_flag === '1';
      const name = family ? info.rels_pay_user_name : undefined;
      return {
        status: 'authorized',
        payAuthNo: info.pay_auth_no,
        expiresInSeconds: PAY_AUTH_TTL_SECONDS,
        payer: { ...(name ? { name } : {}), familyPay: family },
        ...(info.medical_card_id ? { medicalCardId: info.medical_card_id } : {}),
      };
    }
    if (info.auth_url) return { status: 'redirect', authUrl: info.auth_url };
    throw new ChannelRejectedError('alipay', 'authinfo.auth.query', 'NOT_AUTHORIZED', `auth_stas=${info.auth_stas ?? '?'} without auth_url`);
  }

  async createPayment(q: port.CreatePaymentInput): Promise<port.CreatedPayment> {
    if (q.cashOnly) {
      const notify = { notify_url: q.notifyUrl };
      return toCreatedPlain(await this.gateway.call('alipay.trade.create', { op: 'trade.create', biz: plainTradeBiz(q, this.cfg), params: notify }), q);
    }
    const r = await this.gateway.call('alipay.commerce.medical.trade.createandpay', { op: 'trade.createandpay', biz: createAndPayBiz(q, this.cfg) });
    return toCreatedPayment(r, q);
  }

  async queryPayment(q: { outTradeNo: string; channelRef: string; cashOnly?: boolean }): Promise<port.ChannelPaymentStatus> {
    const biz: Record<string, string> = { out_trade_no: q.outTradeNo };
    if (q.channelRef) biz.trade_no = q.channelRef;
    if (q.cashOnly) return toPlainStatus(await this.gateway.call('alipay.trade.query', { op: 'plain.query', biz }), q);
    const r = await this.gateway.call('alipay.commerce.medical.trade.query', { op: 'trade.query', biz });
    return toPaymentStatus(r, this.cfg, q);
  }

  async parseNotification(req: port.NotificationRequest): Promise<port.ChannelNotification> {
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const p: Record<string, string> = {};
    for (const [k, v] of form) p[k] = v;
    if (p.sign_type && p.sign_type !== 'RSA2') throw new ChannelSignatureError('alipay', `sign_type ${p.sign_type} is not accepted`);
    if (!verifyNotificationParams(p, this.gateway.alipayKey)) throw new ChannelSignatureError('alipay', 'notification sign does not verify');
    if (p.app_id !== this.cfg.appId) throw new ChannelSignatureError('alipay', `notification for app ${p.app_id ?? '?'}`);
    if (!p.notify_id || !p.out_trade_no) throw new ChannelSignatureError('alipay', 'notification lacks notify_id/out_trade_no');
    return isPlainNotification(p) ? toPlainNotification(p) : toNotification(p, this.cfg);
  }

  ackNotification(ok: boolean, refusal: ErrorCode = 'SIGNATURE_INVALID'): port.NotificationAck {
    // Alipay: anything but the text "success" is a failure it retries; a refusal of ours is a 4XX
    return ok ? { status: 200, contentType: 'text/plain', body: 'success' } : { status: ERRORS[refusal].status, contentType: 'text/plain', body: 'fail', errorCode: refusal };
  }

  async refundCash(q: port.CashRefundInput): Promise<port.CashRefundResult> {
    if (!Number.isSafeInteger(q.refundFen) || q.refundFen <= 0 || q.refundFen > q.paidCashFen) {
      throw new Error(`refund of ${q.refundFen} fen does not fit a cash payment of ${q.paidCashFen} fen`);
    }
    try {
      if (q.cashOnly) {
        const r = await this.gateway.call('alipay.trade.refund', { op: 'plain.refund', biz: plainRefundBiz(q) });
        // fund_change N on a repeat of a refund already made: the query-free answer is still "refunded"
        return { status: 'succeeded', channelRefundId: q.refundNo, refundedAt: r.gmt_refund_pay ? chinaPlainToIso(String(r.gmt_refund_pay)) : undefined };
      }
      const r = await this.gateway.call('alipay.commerce.medical.trade.refund', {
        op: 'trade.refund',
        biz: { out_trade_no: q.outTradeNo, trade_no: q.channelRef, refund_amount: fenToYuan(q.refundFen), refund_request_no: q.refundNo, refund_reason: q.reason.slice(0, 128) },
      });
      // refund_status through the configured map; a value it does not know stays processing (polled)
      const status = readRefund(this.cfg.statusMap, r.refund_status);
      if (status === 'succeeded') {
        return { status: 'succeeded', channelRefundId: q.refundNo, refundedAt: r.refund_time ? chinaPlainToIso(String(r.refund_time)) : undefined };
      }
      if (status === 'failed') return { status: 'failed', code: 'REFUND_FAIL', message: String(r.refund_msg ?? '') };
      return { status: 'processing', channelRefundId: q.refundNo };
    } catch (err) {
      if (err instanceof AlipayRejectedError && !err.systemError) return { status: 'failed', code: err.code, message: err.message };
      throw err;
    }
  }

  /** Alipay learns of the insurance refund from the centre: nothing to tell it. */
  async notifyInsuranceRefund(): Promise<port.InsuranceRefundNoticeResult> {
    return { status: 'not_needed' };
  }

  async downloadBill(date: string): Promise<port.ChannelBillRow[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('bill date must be YYYY-MM-DD');
    const r = await this.gateway.call('alipay.data.dataservice.bill.downloadurl.query', { op: 'bill.downloadurl.query', biz: { bill_type: 'trade', bill_date: date } });
    const url = r.bill_download_url as string | undefined;
    if (!url) throw new ChannelRejectedError('alipay', 'bill.downloadurl.query', 'BAD_RESPONSE', 'no bill_download_url');
    return parseAlipayDetail(detailCsvFromZip(await this.gateway.download('bill-download', url)));
  }

  async sendMessage(q: port.MessageInput): Promise<port.MessageResult> {
    const data = templateData(this.cfg.subscribeTemplateKeys, q.fields);
    try {
      await this.gateway.call('alipay.open.app.mini.templatemessage.send', {
        op: 'templatemessage.send',
        biz: { [messageUserField(this.cfg.userIdType)]: q.openId, user_template_id: this.cfg.subscribeTemplates[q.template], page: q.page, data: JSON.stringify(data) },
      });
      return { status: 'sent' };
    } catch (err) {
      if (err instanceof AlipayRejectedError) {
        // a business refusal (not subscribed, template or parameter problem) is final; Alipay's own trouble is not
        if (err.systemError) return { status: 'retry', code: err.code, message: err.message };
        return { status: 'undeliverable', code: err.code, message: err.message };
      }
      if (err instanceof PeerError) return { status: 'retry', code: err.failure, message: err.message };
      throw err;
    }
  }
}
