import { z } from 'zod';
import { ORDER_STATES, REFUND_STATES } from '../order-state';
import { ERRORS } from '../errors';

/** Integer fen, never negative on the wire. */
export const FenAmount = z.number().int().min(0).max(1_000_000_000_00);
export const OrderNo = z.string().regex(/^[A-Z0-9]{8,32}$/, '订单号格式不正确');
export const RegionCode = z.string().regex(/^\d{6}$/, '参保地编码应为6位数字');
/** a payment channel (wechat, alipay, the centre's cashier) or, for an order's origin, the kiosk */
export const Channel = z.enum(['wechat', 'alipay', 'kiosk', 'cashier']);
export type Channel = z.infer<typeof Channel>;
export const OrderKind = z.enum(['registration', 'outpatient']);
export type OrderKind = z.infer<typeof OrderKind>;

export const Amounts = z.object({
  totalFen: FenAmount.describe('费用总额'),
  fundFen: FenAmount.describe('医保统筹基金支付'),
  acctFen: FenAmount.describe('个人账户支付'),
  cashFen: FenAmount.describe('个人自付（微信/支付宝支付）'),
  otherFundFen: FenAmount.optional().describe('其他基金支付 (6202 othFeeAmt)'),
  hospitalFen: FenAmount.optional().describe('医院负担，不向患者收取 (6202 hospPartAmt)'),
});
export type Amounts = z.infer<typeof Amounts>;

export const RefundView = z.object({
  refundNo: z.string(),
  state: z.enum(REFUND_STATES),
  amounts: Amounts,
  reason: z.string().optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  /** the refund's state in plain words: 申请中 / 医保已退 / 自费已退 / 已完成 / 需人工处理 / 未退款 */
  stateLabel: z.string().optional(),
});
export type RefundView = z.infer<typeof RefundView>;

/**
 * One payment actually taken for an order: the insurance part (统筹基金 + 个人账户, settled by
 * the centre) or the self-pay part (WeChat Pay / Alipay / kiosk). Only facts, never intentions:
 * an order that was not paid has none.
 */
export const PaymentView = z.object({
  kind: z.enum(['insurance', 'self_pay']),
  amountFen: FenAmount,
  /** when the centre settled (insurance) or the channel took the money (self-pay) */
  at: z.string(),
  channel: Channel,
});
export type PaymentView = z.infer<typeof PaymentView>;

export const OrderView = z.object({
  orderNo: OrderNo,
  kind: OrderKind,
  channel: Channel,
  title: z.string().describe('挂号：内科 张医生 / 门诊缴费：2项'),
  state: z.enum(ORDER_STATES),
  stateLabel: z.string(),
  amounts: Amounts,
  /** false while the amounts are HIS's estimate; true once the centre (6202) fixed the split */
  amountsFinal: z.boolean(),
  createdAt: z.string(),
  paidAt: z.string().optional(),
  /** relationLabel/memberId: the order is for a family member of the account holder (亲情付) */
  patient: z.object({ nameMasked: z.string(), idNoMasked: z.string(), relationLabel: z.string().optional(), memberId: z.string().optional() }),
  detail: z.object({
    department: z.string().optional(),
    doctor: z.string().optional(),
    visitTime: z.string().optional(),
    items: z.array(z.object({ name: z.string(), amountFen: FenAmount })).optional(),
  }),
  /** the payments taken (insurance first); empty until money moved */
  payments: z.array(PaymentView),
  refunds: z.array(RefundView),
  canPay: z.boolean(),
  canCancel: z.boolean(),
  /** a paid registration the patient may still cancel (退号), and until when (ISO instant) */
  canCancelRegistration: z.boolean().optional(),
  cancelBefore: z.string().optional(),
  /** unpaid orders: when the order is released by itself if not paid (ISO instant) */
  payBefore: z.string().optional(),
  /** 'self': 自费 — paid through the channel alone, no insurance part (absent: 医保) */
  payMode: z.literal('self').optional(),
});
export type OrderView = z.infer<typeof OrderView>;

/** What the client's platform pay call needs, and nothing more. */
export const PayParams = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('wechat'),
    /** wx.requestMedicalInsurancePay; the five signing fields are absent when there is no self-pay part */
    mixTradeNo: z.string(),
    timeStamp: z.string().optional(),
    nonceStr: z.string().optional(),
    package: z.string().optional(),
    signType: z.literal('RSA').optional(),
    paySign: z.string().optional(),
  }),
  z.object({
    channel: z.literal('alipay'),
    /** Alipay's medical pay page (opened with my.ap.navigateToAlipayPage); absent for a 自费 plain trade */
    payUrl: z.string().optional(),
    /** with no payUrl: the plain trade the mini-program pays with my.tradePay({ tradeNO }) (自费) */
    tradeNo: z.string(),
  }),
  z.object({
    channel: z.literal('kiosk'),
    /** QR content the patient scans with WeChat/Alipay to pay the self-pay part */
    qrCode: z.string(),
    expiresAt: z.string(),
  }),
]);
export type PayParams = z.infer<typeof PayParams>;

export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...(keyof typeof ERRORS)[]]),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

export const Benefit = z.object({
  code: z.string(),
  name: z.string().describe('医保待遇名称，如 职工基本医疗保险 普通门诊'),
  insutype: z.string().describe('险种类型 310 职工 / 390 居民'),
  insutypeName: z.string(),
  description: z.string(),
});
export type Benefit = z.infer<typeof Benefit>;

export const Region = z.object({ code: RegionCode, name: z.string() });
export type Region = z.infer<typeof Region>;
