import { z } from 'zod';

/** Subscribe-message field names per template, in the order of MessageInput.fields. */
const TemplateKeys = z.object({
  title: z.string(),
  patientNameMasked: z.string(),
  amountText: z.string(),
  time: z.string(),
  note: z.string().optional(),
});

/** WeChat (login, subscribe messages, e-voucher user query) and WeChat Pay med-ins. */
export const WechatConfig = z.object({
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  /** api.weixin.qq.com: code2Session, stable_token, subscribe/send */
  apiBaseUrl: z.string().url(),
  /** api.mch.weixin.qq.com: /v3/pay/transactions/jsapi, /v3/med-ins/orders, refunds, bills */
  payBaseUrl: z.string().url(),
  /** mip-receiver.tengmed.com: e-voucher user query (authCode → payAuthNo) */
  mipBaseUrl: z.string().url(),
  mipPartnerId: z.string().min(1),
  mipPartnerSecret: z.string().min(1),
  mchId: z.string().min(1),
  merchantSerialNo: z.string().min(1),
  /** the merchant API private key; in production it comes from merchantPrivateKeyFile (loadConfig reads it) */
  merchantPrivateKeyPem: z.string().min(1),
  /** file holding the merchant API private key: not group/world readable (wechatpay-skills 接入质量检查 #24, #25) */
  merchantPrivateKeyFile: z.string().min(1).optional(),
  apiV3Key: z.string().length(32),
  /** WeChat Pay public key mode (PUB_KEY_ID_…); platform certificates may be listed as well */
  wechatpayPublicKeyId: z.string().min(1),
  wechatpayPublicKeyPem: z.string().min(1),
  /** serial → certificate (or public key) PEM of older platform certificates still in use */
  platformCertificates: z.record(z.string(), z.string()).default({}),
  /** Tencent-assigned med-ins city id (not the GB admin code) */
  cityId: z.string().min(1),
  /** must be false in production: routes the insurance leg to the test platform */
  medInsTestEnv: z.boolean().default(false),
  /** med_inst_name / med_inst_no of the mixed order (医疗机构名称 / 医保局定点编码) */
  medInstName: z.string().min(1),
  medInstNo: z.string().min(1),
  /** "lng,lat" of the hospital, used as geo_location when the authorization gave none */
  hospitalGeoLocation: z.string().regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/).optional(),
  /** WeChat Pay refund result callback (REFUND.SUCCESS…); omitted → no refund callbacks */
  refundNotifyUrl: z.string().url().optional(),
  /**
   * path of the mixed order's close action, e.g. "/v3/med-ins/orders/out-trade-no/{out_trade_no}/close":
   * the guide names 关单 (排障手册 268560650) but not its path — inferred, configurable; absent = only
   * the JSAPI self-pay order is closed (the centre order is withdrawn by 6401)
   */
  medInsClosePath: z.string().startsWith('/v3/').optional(),
  /** public https origin WeChat Pay calls back (callback_url / notify_url); default: publicBaseUrl */
  callbackBaseUrl: z.string().url().optional(),
  /**
   * passthrough_request_content: what the province's insurance bureau wants passed through.
   * wechatpay-skills 接入质量检查 #28 and 排障手册 §2.6 Q12 forbid repeating payAuthNo/payOrdId/setlLatlnt
   * there; 排障手册 268547120 says some provinces need the three again. Neither choice moves money (a
   * wrong one is refused at order creation), so the default follows the checklist; a province that
   * needs them sets repeatAuthFields. `extra`: the province's own fields. At most 2048 bytes.
   */
  passthrough: z
    .object({ repeatAuthFields: z.boolean().default(false), extra: z.record(z.string(), z.string()).default({}) })
    .prefault({}),
  /**
   * Answers worth asking again (rate limits, SYSTEM_ERROR, 5xx; wechatpay-skills 回调处理 §二,
   * 接入质量检查 #29, 排障手册 §2.5 Q4 "初值 200 ms，最多 3 次"): attempts in all, exponential back-off.
   */
  retry: z
    .object({ attempts: z.number().int().min(1).max(10).default(3), baseMs: z.number().int().nonnegative().default(200), maxMs: z.number().int().nonnegative().default(2000) })
    .prefault({}),
  /** max age of a signed response / notification timestamp, seconds */
  maxClockSkewSeconds: z.number().int().positive().default(300),
  subscribeTemplates: z.object({ registrationPaid: z.string(), outpatientPaid: z.string() }),
  /** data keys of the two templates (thingN/nameN/amountN/timeN as chosen in the mp console) */
  subscribeTemplateKeys: TemplateKeys.default({ title: 'thing1', patientNameMasked: 'name2', amountText: 'amount3', time: 'time4', note: 'thing5' }),
  miniprogramState: z.enum(['developer', 'trial', 'formal']).default('formal'),
  /** the national e-voucher authorization mini-program jump */
  insuranceAuth: z.object({
    appId: z.string().default('wxe183cd55df4b4369'),
    path: z.string(),
    envVersion: z.enum(['release', 'trial', 'develop']).default('release'),
  }),
  timeoutMs: z.number().int().positive().default(8000),
});

/**
 * How Alipay statuses read (alipay.commerce.medical.trade.query / createandpay / refund answers and
 * the async notification). AJ = alipay/alipay-sdk-java-all v2/src/main/java/com/alipay/api/response/
 * AlipayCommerceMedicalTradeQueryResponse.java names trade_status, medical_pay_status,
 * own_pay_status and …TradeRefundResponse.java refund_status, but no values: every default here is
 * INFERRED (trade_status borrowed from alipay.trade.query's WAIT_BUYER_PAY / TRADE_SUCCESS /
 * TRADE_FINISHED / TRADE_CLOSED, AJ AlipayTradeQueryResponse.java). Confirm them at onboarding.
 * A value missing from a map means "awaiting confirmation", never success or failure.
 */
export const AlipayStatusMap = z.object({
  trade: z.record(z.string(), z.enum(['success', 'pending', 'closed'])).default({
    WAIT_BUYER_PAY: 'pending', TRADE_SUCCESS: 'success', TRADE_FINISHED: 'success', TRADE_CLOSED: 'closed',
  }),
  /** medical_pay_status (the insurance leg) and own_pay_status (the self-pay leg) */
  leg: z.record(z.string(), z.enum(['taken', 'not_taken', 'pending', 'refunded'])).default({
    INIT: 'pending', WAIT_PAY: 'pending', PAYING: 'pending', SUCCESS: 'taken', PAID: 'taken', FAIL: 'not_taken', FAILED: 'not_taken', CLOSED: 'not_taken', NONE: 'not_taken', REFUND: 'refunded', REFUNDED: 'refunded',
  }),
  refund: z.record(z.string(), z.enum(['succeeded', 'processing', 'failed'])).default({
    SUCCESS: 'succeeded', REFUND_SUCCESS: 'succeeded', PROCESSING: 'processing', REFUNDING: 'processing', FAIL: 'failed', REFUND_FAIL: 'failed',
  }),
});
export type AlipayStatusMap = z.infer<typeof AlipayStatusMap>;

export const AlipayConfig = z.object({
  appId: z.string().min(1),
  /**
   * Which user identifier the app gets: alipay.system.oauth.token answers `user_id` (2088… 16 digits)
   * or `open_id` (AJ response/AlipaySystemOauthTokenResponse.java); apps moved to openid get only
   * open_id. Every API that names a user then uses the matching field: alipay_user_id | open_id
   * (AJ domain/AlipayCommerceMedicalAuthinfoAuthQueryModel.java, …MedicalTradeCreateandpayModel.java),
   * to_user_id | to_open_id (AJ domain/AlipayOpenAppMiniTemplatemessageSendModel.java).
   */
  userIdType: z.enum(['user_id', 'open_id']).default('user_id'),
  gatewayUrl: z.string().url(),
  /** PKCS8 (BEGIN PRIVATE KEY) or PKCS1 PEM, or the bare base64 body Alipay's key tool prints */
  appPrivateKeyPem: z.string().min(1),
  alipayPublicKeyPem: z.string().min(1),
  /** the mini-program page Alipay returns to after the e-voucher authorization */
  authCallUrl: z.string().min(1),
  orgAppId: z.string().min(1),
  orgChnlCrtfCode: z.string().min(1),
  /** 定点医药机构编码 (org_code / org_no) */
  orgNo: z.string().min(1),
  /** 医疗机构名称 (kept for display; createandpay has no org_name: AJ AlipayCommerceMedicalTradeCreateandpayModel.java) */
  orgName: z.string().min(1),
  /** 平台分配给商户的门店ID / 外部门店ID: exactly one ("与store_id二选一", AJ …MedicalTradeCreateandpayModel.java) */
  shopId: z.string().min(1).optional(),
  storeId: z.string().min(1).optional(),
  /** createandpay order_type: INSURANCE_PAY is the value AJ names (…CreateandpayResponse.java chrg_bch_no:
   *  "order_type=INSURANCE_PAY时必填"); every order of ours reached the centre (6201/6202), so it is insurance */
  orderType: z.string().min(1).default('INSURANCE_PAY'),
  /** 行业标识: INFERRED from the older AJ domain/AlipayCommerceMedicalInstcardCreateandpayModel.java
   *  ("医院：HOSPITAL  药店：STORE"); the 2024 model names the field without values */
  industry: z.string().min(1).default('HOSPITAL'),
  /** 医保支付场景标识 per order kind: INFERRED values (AJ names the field only); confirm at onboarding */
  insurancePayScene: z.object({ registration: z.string().min(1), outpatient: z.string().min(1) }).default({ registration: 'REGISTRATION', outpatient: 'OUTPATIENT' }),
  /** ch_info (渠道标识，由平台分配给商户) and extend_params.sys_service_provider_id, when assigned */
  chInfo: z.string().min(1).optional(),
  sysServiceProviderId: z.string().min(1).optional(),
  statusMap: AlipayStatusMap.prefault({}),
  /** 医保电子凭证 business type: 04107 = 医保移动支付 */
  olBizTypeCode: z.string().default('04107'),
  /** the mini-program page Alipay returns to after paying (callback_url of createandpay) */
  payCallUrl: z.string().optional(),
  subscribeTemplates: z.object({ registrationPaid: z.string(), outpatientPaid: z.string() }),
  /** data keys of the templates, in the order of MessageInput.fields */
  subscribeTemplateKeys: TemplateKeys.default({ title: 'keyword1', patientNameMasked: 'keyword2', amountText: 'keyword3', time: 'keyword4', note: 'keyword5' }),
  timeoutMs: z.number().int().positive().default(8000),
}).refine((c) => (c.shopId === undefined) !== (c.storeId === undefined), { message: 'exactly one of shopId / storeId (createandpay shop_id 与 store_id 二选一)', path: ['shopId'] });

export const ChannelsConfig = z.object({ wechat: WechatConfig, alipay: AlipayConfig });
export type ChannelsConfig = z.infer<typeof ChannelsConfig>;
export type WechatConfig = z.infer<typeof WechatConfig>;
export type AlipayConfig = z.infer<typeof AlipayConfig>;
