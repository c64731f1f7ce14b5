import { z } from 'zod';

/**
 * The e-voucher service (医保电子凭证) the kiosk reads the patient's QR through: HSA
 * `hsa-insure/.../dzpz/module/bo/impl/DzpzOutptBOImpl.java` `ecQuery` (L49-75) posts
 * `{data:{orgId, businessType:"01101", operatorId, operatorName, officeId, officeName}, orgId,
 * transType:"ec.query"}` as plain JSON to `…/localcfc/api/hsecfc/localQrCodeQuery` (no SM4/SM2
 * envelope; `RequestInsureHnDzpz.callNeusoft` checks `code == "0"`). Operator and office are the
 * kiosk's own (HSA takes the logged-in cashier's and department's).
 */
export const EVoucherConfig = z.object({
  /** origin of the e-voucher service; defaults to the centre's baseUrl */
  baseUrl: z.string().url().optional(),
  path: z.string().startsWith('/').default('/localcfc/api/hsecfc/localQrCodeQuery'),
  /** 机构ID (orgId); defaults to national.orgCodg */
  orgId: z.string().min(1).optional(),
  /** 用码业务类型: "01101" in HSA DzpzOutptBOImpl L59 */
  businessType: z.string().min(1).max(5).default('01101'),
  /** 收款员编号 / 姓名: at a kiosk, the device (HSA: the logged-in cashier); operatorId defaults to the device id */
  operatorId: z.string().min(1).optional(),
  operatorName: z.string().min(1).default('自助机'),
  /** 医保科室编号 / 科室名称 (HSA: loginDeptId / loginDeptName) */
  officeId: z.string().min(1).default('MZ'),
  officeName: z.string().min(1).default('门诊收费处'),
  /** [I] device type of the QR reader; HSA's local call sends none, the body names it */
  deviceType: z.string().min(1).default('SelfService'),
  /**
   * [I] the data field carrying the scanned QR content. HSA's body has none because its local
   * e-voucher service drives the scanner itself; our kiosk scans and sends the content.
   */
  qrCodeField: z.string().min(1).default('qrCode'),
  timeoutMs: z.number().int().positive().default(8000),
});
export type EVoucherConfig = z.infer<typeof EVoucherConfig>;

/**
 * The centre's cashier (收银台, SPC) as a payment channel: the official cashier SDK sample
 * `hsa.spc.sdk` `SpcClientTest.java` (index id 37727724238) posts the unified order to
 * `${smcReqUrl}/unifiedOrder/UNION_CHS` with smcReqUrl `http://…/pmc/api/spc`, in the centre's
 * SM4/SM2 envelope, and reads `cashierUrl`; the cashier calls back with `tradeStatus, amount, payOrdId`.
 */
export const CashierConfig = z.object({
  /** origin of the cashier service; defaults to the centre's baseUrl */
  baseUrl: z.string().url().optional(),
  unifiedOrderPath: z.string().startsWith('/').default('/pmc/api/spc/unifiedOrder/UNION_CHS'),
  /** `operator` of the unified order ("H5" in SpcClientTest.java) */
  operator: z.string().min(1).default('H5'),
  /** frontBackUrl: where the patient's phone goes after paying (the sample's front callback) */
  frontBackUrl: z.string().url().optional(),
  /** our path of the cashier's back-end callback (syncCalUrl) */
  notifyPath: z.string().startsWith('/').default('/notify/cashier/payment'),
  /** only "SUCCESS" is public (SpcClientTest.java sample callback); the rest is [I] and configurable */
  paidStatuses: z.array(z.string()).default(['SUCCESS']),
  /** [I] the cashier's values for "not taken"; anything unlisted is "awaiting confirmation" */
  failedStatuses: z.array(z.string()).default(['FAIL', 'FAILED', 'CLOSED', 'PAYERROR']),
  /** [I] still open at the cashier */
  pendingStatuses: z.array(z.string()).default(['NOTPAY', 'PAYING', 'USERPAYING', 'WAIT_PAY']),
  /** the callback's acknowledgement [?: not public]: HTTP 200 with this JSON */
  ackBody: z.string().default('{"code":0,"message":"成功"}'),
  timeoutMs: z.number().int().positive().default(8000),
});
export type CashierConfig = z.infer<typeof CashierConfig>;

/**
 * The kiosk settings (`config.kiosk`). Everything the notes do not fix is an inference ([I]) and
 * can be changed per deployment; MIP_KIOSK_* environment variables override the file, as PORT
 * and REDIS_URL do.
 */
export const KioskConfig = z.object({
  eVoucher: EVoucherConfig.prefault({}),
  cashier: CashierConfig.prefault({}),
  /** a visit (the identified patient at one device) ends after this much idle time */
  visitIdleSeconds: z.number().int().positive().default(5 * 60),
  /** and at the latest this long after the voucher was read */
  visitMaxSeconds: z.number().int().positive().default(20 * 60),
  /** [I] the ecToken lives minutes; after this the kiosk asks for the voucher again before paying */
  ecTokenTtlSeconds: z.number().int().positive().default(5 * 60),
  /** where the kiosk stands (6201 uldLatlnt / 6202 setlLatlnt), "lng,lat" */
  location: z.string().regex(/^-?\d{1,3}\.\d+,-?\d{1,2}\.\d+$/).default('113.283456,23.096012'),
  /** first cashier / 6301 confirmation after the cashier QR is shown (the callback is the normal path) */
  pollAfterMs: z.number().int().positive().default(15_000),
});
export type KioskConfig = z.infer<typeof KioskConfig>;
