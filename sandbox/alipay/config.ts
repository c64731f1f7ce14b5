import { z } from 'zod';

/** What the Alipay sandbox knows: the app's public key, Alipay's own key pair. */
export const AlipaySandboxConfig = z.object({
  appId: z.string().min(1),
  /** verifies the app's request signatures */
  appPublicKeyPem: z.string().min(1),
  /** signs responses and notifications */
  alipayPrivateKeyPem: z.string().min(1),
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
