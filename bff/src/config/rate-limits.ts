import { z } from 'zod';

const Rule = z.object({
  /** requests allowed per window; 0 switches the limit off */
  limit: z.number().int().min(0),
  windowSeconds: z.number().int().positive(),
});
export type RateRule = z.infer<typeof Rule>;

/**
 * The patient API's rate limits (`config.rateLimits`, enforced by http/rate-limit.ts).
 * Defaults: a hospital's guest Wi-Fi or a carrier NAT puts many patients behind one address, so
 * the per-address login limit is generous; a patient never creates or pays 20 orders a minute.
 */
export const RateLimitsConfig = z.object({
  login: Rule.default({ limit: 300, windowSeconds: 60 }),
  orderCreate: Rule.default({ limit: 20, windowSeconds: 60 }),
  orderPay: Rule.default({ limit: 30, windowSeconds: 60 }),
});
export type RateLimitsConfig = z.infer<typeof RateLimitsConfig>;
