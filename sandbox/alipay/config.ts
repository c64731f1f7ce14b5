import { z } from 'zod';

/** What the Alipay sandbox knows: the app's public key, Alipay's own key pair. */
export const AlipaySandboxConfig = z.object({
  appId: z.string().min(1),
  /** verifies the app's request signatures */
  appPublicKeyPem: z.string().min(1),
  /** signs responses and notifications */
  alipayPrivateKeyPem: z.string().min(1),
  /** the app's user identifier: user_id (2088…) or open_id — see users.ts for the sources */
  userIdType: z.enum(['user_id', 'open_id']).default('user_id'),
  /** createandpay-rules.ts: the INFERRED required fields, the order_type values known, unknown fields refused */
  createandpay: z
    .object({
      required: z.array(z.string()).default([
        'out_trade_no', 'med_org_ord', 'pay_order_id', 'pay_auth_no', 'org_no', 'order_type', 'industry', 'insurance_pay_scene',
        'subject', 'total_amount', 'gov_amount', 'account_amount', 'other_amount', 'real_amount', 'result_notify_url', 'gmt_out_create',
      ]),
      orderTypes: z.array(z.string()).default(['INSURANCE_PAY']),
      refuseUnknownFields: z.boolean().default(true),
    })
    .prefault({}),
  /** the merchant's 2088… partner id (bill file names, seller_id) */
  pid: z.string().default('2088000000000156'),
  /** known message templates; empty = accept any id */
  subscribeTemplateIds: z.array(z.string()).default([]),
  urls: z.object({ national: z.string().url() }),
  /** a notification not answered `success` is sent again after each of these (Alipay: 8 times over ~25 h) */
  notifyRetryDelaysMs: z.array(z.number().int().nonnegative()).default([1000, 2000, 4000, 8000, 15000, 30000, 60000, 120000]),
  notifyTimeoutMs: z.number().int().positive().default(5000),
  /** origin used in pay_url, auth_url and bill download URLs; defaults to the origin the request came to */
  publicUrl: z.string().url().optional(),
});
export type AlipaySandboxConfig = z.infer<typeof AlipaySandboxConfig>;
