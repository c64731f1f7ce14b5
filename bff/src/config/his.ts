import { z } from 'zod';

/** The hospital's HIS, reached through its HTTP adapter. */
export const HisConfig = z.object({
  baseUrl: z.string().url(),
  /** credentials the BFF presents to HIS */
  clientId: z.string().min(1),
  clientSecret: z.string().min(8),
  timeoutMs: z.number().int().positive().default(5000),
  /** how the HIS indexes patients: by ID number, outpatient number or card */
  patientIndex: z.enum(['idNo', 'outpatientNo', 'cardNo']).default('idNo'),
  /** whether this HIS offers a reversal (冲正) call; if not, reversal falls back to a 6203 refund */
  supportsReversal: z.boolean().default(true),
  /**
   * Retries of one HIS call. Reads are retried on any failure; a mutating call only when the
   * request provably never reached HIS (connection refused): anything else is confirmed by
   * trade-check instead.
   */
  retry: z
    .object({
      attempts: z.number().int().min(1).max(10).default(3),
      delayMs: z.number().int().nonnegative().default(200),
    })
    .prefault({}),
  /** C6: write-back retry policy before reversal */
  writeBack: z
    .object({
      baseDelayMs: z.number().int().positive().default(2000),
      maxDelayMs: z.number().int().positive().default(60_000),
      /** after this long since payment, a write-back that still fails is reversed */
      deadlineMs: z.number().int().positive().default(10 * 60_000),
    })
    .prefault({}),
});
export type HisConfig = z.infer<typeof HisConfig>;
