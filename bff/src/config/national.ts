import { z } from 'zod';

/** The local mobile-payment centre (医保移动支付中心) and our credentials with it. */
export const NationalConfig = z.object({
  baseUrl: z.string().url(),
  appId: z.string().min(16).describe('渠道ID / chnlId, 32 chars'),
  appSecret: z.string().min(1),
  /** our SM2 private key (base64 of d); its public key is registered with the platform */
  privateKey: z.string().min(1),
  /** the platform's SM2 public key (base64 of 04||X||Y), verifies responses and 6302 notifications */
  platformPublicKey: z.string().min(1),
  /** [I] the default verified against a published callback; some deployments use appSecret */
  sm2UserId: z.string().default('1234567812345678'),
  /** [I] epoch-ms per the SDK; Shanxi uses yyyyMMddHHmmss */
  timestampFormat: z.enum(['epoch-ms', 'yyyyMMddHHmmss']).default('epoch-ms'),
  /** [I] hex case of encData per province (TSX upper-case; the SDK lower-case); answers are read in either */
  hexCase: z.enum(['upper', 'lower']).default('lower'),
  version: z.string().default('2.0.1'),
  /**
   * Which authorization a 6203 carries (TSX validate6203Refund: exactly one). HSA refundSetl
   * sends ecToken, a C# vendor plug-in the original payAuthNo. Default 'original': the one the
   * order was paid with (payAuthNo in the mini-programs, ecToken at kiosks) — the only choice
   * that every order has, so no refund is stranded for want of the other.
   */
  refundAuthorization: z.enum(['original', 'payAuthNo', 'ecToken']).default('original'),
  /** the 6302 acknowledgement: TSX HTTP 200 {success:true, message} (default) or {code:0, message} */
  notifyAck: z.enum(['tsx', 'code0']).default('tsx'),
  /**
   * TSX sends insuCode (the centre of the hospital's contract) and the patient's insured region
   * (insuplcAdmdvs) separately; unset, insuCode is the patient's region.
   */
  insuCode: z.string().min(1).optional(),
  /** TSX derives acctUsedFlag per region and allows "" (validate6202Request) */
  acctUsedFlag: z
    .object({
      default: z.enum(['', '0', '1']).default('1'),
      byRegion: z.record(z.string(), z.enum(['', '0', '1'])).default({}),
    })
    .prefault({}),
  orgCodg: z.string().min(1).describe('定点医药机构编码'),
  orgName: z.string().min(1),
  /** 6302 notifications older/newer than this are refused; 0 disables the check */
  maxSkewMs: z.number().int().min(0).default(10 * 60_000),
  timeoutMs: z.number().int().positive().default(8000),
  /** [I] ordStas values that count as "settled" (6 = 结算完成); some regions settle at 4/5 */
  settledOrdStas: z.array(z.string()).default(['6']),
  /**
   * [I] refusal codes that mean the payAuthNo/ecToken is spent or expired (the patient must authorize or scan
   * again): the centre's code table is not public; 2001 is what the sandbox centre and the mini-program path use
   */
  authorizationExpiredCodes: z.array(z.string()).default(['2001']),
  /** 6301 polling back-off when the outcome is open: first delay and cap, in ms, and attempts before manual review */
  pollBaseMs: z.number().int().positive().default(2000),
  pollMaxMs: z.number().int().positive().default(60_000),
  pollMaxAttempts: z.number().int().positive().default(12),
  /**
   * [I] how long after the channel order is created the 6302 and the channel's notification are
   * awaited before the background polls ask (6301, the channel's query); meanwhile the patient's
   * status request only reads (issue 14). Unset: 30 s for WeChat, 15 s for Alipay (inferred).
   */
  notifyWindowMs: z.number().int().positive().optional(),
  /**
   * [I] Whether every order keeps a payOrdId → order number index, for a 6302 that names no
   * medOrgOrd. Both public forms carry medOrgOrd (TSX normalizeMedicalInsuranceSettlementNotification;
   * HSA SeltSucCallbackDTO), which finds the order (our order number, or it plus `R<n>` after an
   * unanswered 6201, domain/payment.ts feeUploadKeys), so by default no index is written (one Redis
   * command per payment, issue 14). Either way no money is at stake: a 6302 we cannot place is
   * refused, the centre sends it again, and the 6301 poll settles the order.
   */
  payOrdIdIndex: z.boolean().default(false),
  /** paths differ by province; the defaults are the national REST paths */
  paths: z
    .object({
      feeUpload: z.string().default('/org/local/api/hos/uldFeeInfo'), //       6201
      payOrder: z.string().default('/org/local/api/hos/pay_order'), //         6202
      refund: z.string().default('/org/local/api/hos/refund_Order'), //        6203
      querySettlement: z.string().default('/org/local/api/hos/query_order_info'), // 6301
      revokeUpload: z.string().default('/org/local/api/hos/revoke_order'), //  6401
    })
    .prefault({}),
  /** the 6302 notification URL path on our side */
  notifyPath: z.string().default('/notify/national/settlement'),
});
export type NationalConfig = z.infer<typeof NationalConfig>;
