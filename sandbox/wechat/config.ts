import { z } from 'zod';

/** What the WeChat sandbox knows: the merchant's public side, WeChat Pay's private side. */
export const WechatSandboxConfig = z.object({
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  mchId: z.string().min(1),
  merchantSerialNo: z.string().min(1),
  /** verifies the merchant's Authorization signatures and paySign */
  merchantPublicKeyPem: z.string().min(1),
  wechatpayPublicKeyId: z.string().startsWith('PUB_KEY_ID_'),
  /** signs responses and notifications, decrypts payer.* fields */
  wechatpayPrivateKeyPem: z.string().min(1),
  apiV3Key: z.string().length(32),
  mipPartnerId: z.string().min(1),
  mipPartnerSecret: z.string().min(1),
  /** known subscribe templates; empty = accept any id */
  subscribeTemplateIds: z.array(z.string()).default([]),
  urls: z.object({ national: z.string().url() }),
  /** a notification not answered 2xx is sent again after each of these; then WeChat gives up (~30 s) */
  notifyRetryDelaysMs: z.array(z.number().int().nonnegative()).default([1000, 2000, 4000, 8000, 15000]),
  notifyTimeoutMs: z.number().int().positive().default(5000),
  /** a refund stays PROCESSING this long (sandbox clock: POST /sandbox/clock advances it) before it succeeds */
  refundSettleMs: z.number().int().nonnegative().default(200),
  /**
   * WeChat Pay answers 429 FREQUENCY_LIMITED beyond this many /v3/ calls per window and operation
   * (接入质量检查 #29 "触发 RULE_LIMIT 请求次数超过限制"; the real limits are not published: 0 = off)
   */
  rateLimit: z.object({ max: z.number().int().nonnegative().default(0), windowMs: z.number().int().positive().default(1000) }).prefault({}),
  /**
   * how this sandbox reaches the hospital's public https callback origins (DNS + TLS termination in
   * one): "https://bff.example.cn" → "http://127.0.0.1:8081". callback_url itself must be https and public.
   */
  callbackRoutes: z.record(z.string(), z.string()).default({}),
  maxClockSkewSeconds: z.number().int().positive().default(300),
  /** origin used in download URLs; defaults to the origin the request came to */
  publicUrl: z.string().url().optional(),
});
export type WechatSandboxConfig = z.infer<typeof WechatSandboxConfig>;
