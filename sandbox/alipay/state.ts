import { ChannelRecords } from '../common/channel-records';

export interface AuthCodeRec {
  userId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface TokenRec {
  userId: string;
  scopes: string[];
  expiresAt: number;
}

export interface TradeRefund {
  refund_request_no: string;
  amountFen: number;
  reason?: string;
  time: string;
}

export interface Trade {
  trade_no: string;
  alipay_trade_no?: string;
  out_trade_no: string;
  med_org_ord: string;
  pay_order_id: string;
  pay_auth_no: string;
  user_id: string;
  subject: string;
  order_type: string;
  chrg_bch_no?: string;
  medical_card_id: string;
  industry: string;
  insurance_pay_scene: string;
  store: { shop_id: string } | { store_id: string };
  totalFen: number;
  govFen: number;
  accountFen: number;
  otherFen: number;
  realFen: number;
  result_notify_url: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  medical_pay_status: 'INIT' | 'SUCCESS' | 'FAIL' | 'NONE';
  own_pay_status: 'INIT' | 'SUCCESS' | 'FAIL' | 'NONE' | 'REFUND';
  created: string;
  paid?: string;
  fail_reason?: string;
  refunds: TradeRefund[];
  paying?: boolean;
  /** a plain trade (alipay.trade.create, 自费): no insurance, its own query/refund/notification */
  plain?: boolean;
}

export interface AlipayMessage {
  /** the internal 2088… user; to_user_id / to_open_id as the request named it */
  user_id: string;
  to_user_id?: string;
  to_open_id?: string;
  user_template_id: string;
  page?: string;
  data: unknown;
  at: string;
}

/** Everything the Alipay sandbox remembers (in memory). */
export class AlipayState extends ChannelRecords<AlipayMessage> {
  readonly authCodes = new Map<string, AuthCodeRec>();
  readonly tokens = new Map<string, TokenRec>();
  /** users who activated/authorized their e-voucher for this app */
  readonly voucherAuthorized = new Set<string>();
  /** pay_auth_no issued through authinfo.auth.query → user and the medical_card_id given with it */
  readonly payAuths = new Map<string, { userId: string; medicalCardId: string }>();
  readonly trades = new Map<string, Trade>();
  readonly tradesByNo = new Map<string, string>();

  trade(outTradeNo?: string, tradeNo?: string): Trade | undefined {
    if (outTradeNo) return this.trades.get(outTradeNo);
    const out = tradeNo ? this.tradesByNo.get(tradeNo) : undefined;
    return out ? this.trades.get(out) : undefined;
  }
}
