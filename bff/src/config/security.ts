import { z } from 'zod';

export const SecurityConfig = z.object({
  /** 32-byte key (base64) that encrypts personal data at rest in Redis */
  piiKey: z.string().min(40),
  /** the longest the BFF holds an e-voucher pay authorization (its own life is ~240 s: channels' user query); shorter for tests */
  payAuthMaxTtlSeconds: z.number().int().positive().optional(),
  patientSessionTtlSeconds: z.number().int().positive().default(2 * 3600),
  /**
   * How long a BFF process may answer a patient's session from memory (issue 14: one
   * Redis read per request saved); 0 = always ask Redis. Safe because a session has a fixed end from
   * sign-in that a kept copy never outlives, and a revoked session is dropped at
   * once in the process that changed it and, through Redis pub/sub, in every other one; the short
   * life only bounds what a message lost to a broken connection could cost (store/shared-cache.ts).
   */
  sessionCacheMs: z.number().int().min(0).default(5000),
  staffSessionTtlSeconds: z.number().int().positive().default(30 * 60),
  /** HIS → BFF calls (message push, refunds, bills): HMAC credentials per client */
  hisClients: z.array(z.object({ clientId: z.string(), secret: z.string().min(16) })).default([]),
  /** kiosk devices: HMAC credentials per device */
  kioskDevices: z.array(z.object({ deviceId: z.string(), secret: z.string().min(16) })).default([]),
  /** first staff account, created if no staff exists (password is hashed on first start) */
  bootstrapStaff: z.object({ username: z.string(), password: z.string().min(10), roles: z.array(z.string()) }).optional(),
  /** token (X-Ops-Token) for /health details and /metrics from outside loopback */
  opsToken: z.string().min(24).optional(),
  /** allowed clock difference for signed inbound calls */
  maxSkewMs: z.number().int().positive().default(5 * 60_000),
});
export type SecurityConfig = z.infer<typeof SecurityConfig>;
