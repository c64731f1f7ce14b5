import { z } from 'zod';

/**
 * The kiosk settings (`config.kiosk`). Everything the notes do not fix is an inference ([I]) and
 * can be changed per deployment; MIP_KIOSK_* environment variables override the file, as PORT
 * and REDIS_URL do.
 */
export const KioskConfig = z.object({
  /** [I] path of the e-voucher QR decoding at the centre (same envelope as 6201), modelled on FSI 1101 */
  ecQueryPath: z.string().startsWith('/').default('/org/local/api/hos/ec_query'),
  /** [I] 用码业务类型 sent with the QR decoding (e-voucher appendix A.1; 01301 门诊结算 in several provinces) */
  businessType: z.string().min(1).max(5).default('01301'),
  /** a visit (the identified patient at one device) ends after this much idle time */
  visitIdleSeconds: z.number().int().positive().default(5 * 60),
  /** and at the latest this long after the voucher was read */
  visitMaxSeconds: z.number().int().positive().default(20 * 60),
  /** [I] the ecToken lives minutes; after this the kiosk asks for the voucher again before paying */
  ecTokenTtlSeconds: z.number().int().positive().default(5 * 60),
  /** where the kiosk stands (6201 uldLatlnt / 6202 setlLatlnt), "lng,lat" */
  location: z.string().regex(/^-?\d{1,3}\.\d+,-?\d{1,2}\.\d+$/).default('113.283456,23.096012'),
  /**
   * [I] for centres whose 6201/6202 answer carries no cashierUrl: a template with {payOrdId}
   * (and optionally {orderNo}) of the provincial cashier page. Without it such an order cannot
   * be paid at the kiosk.
   */
  cashierUrlTemplate: z.string().url().optional(),
  /** first 6301 confirmation after the cashier QR is shown (6302 is the normal path) */
  pollAfterMs: z.number().int().positive().default(15_000),
});
export type KioskConfig = z.infer<typeof KioskConfig>;
