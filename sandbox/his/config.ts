import { z } from 'zod';

/** The sandbox HIS's own configuration (SANDBOX_CONFIG), written by sandbox/his/stack.ts. */
export const HisSandboxConfig = z.object({
  /** BFF -> HIS HMAC credentials this HIS accepts */
  clients: z.array(z.object({ clientId: z.string().min(1), secret: z.string().min(8) })).min(1),
  maxSkewMs: z.number().int().positive().default(5 * 60_000),
  /**
   * false (default), like many real HIS products: a second write-back of the same order books a
   * second settlement. true: the Idempotency-Key (order number) de-duplicates write-backs.
   */
  idempotentWriteBack: z.boolean().default(false),
  /** false: the reversal (冲正) route answers 507 "not supported" */
  supportsReversal: z.boolean().default(true),
  /**
   * The sandbox centre's base URL. A real HIS reverses the insurance settlement (冲正) at the
   * centre; with this set the sandbox does the same, so the centre stops reporting the order as
   * settled. Unset (in-process HIS tests): the reversal is recorded in HIS only.
   */
  centreUrl: z.string().url().optional(),
  /**
   * One registration per patient per doctor session (slot), as HIS products enforce it (inferred:
   * no public HIS spec; hospitals' booking rules say 同一就诊人同一医生同一时段限挂一个号). Paid and
   * pending (pre-settled, not yet paid) registrations both count. false: no such rule.
   */
  oneRegistrationPerSession: z.boolean().default(true),
  /**
   * 退号 is accepted until this many minutes before the session starts (inferred; hospitals set
   * their own cut-off, commonly the session's start).
   */
  cancelCutoffMinutes: z.number().int().nonnegative().default(0),
  /** how long a pre-settlement holds its slot / bills */
  preSettlementTtlMs: z.number().int().positive().default(15 * 60_000),
  /** HIS -> BFF patient message push (C4/C5) */
  push: z
    .object({
      enabled: z.boolean().default(true),
      /** the BFF's base URL; messages go to {bffUrl}/his/v1/messages */
      bffUrl: z.string().url().optional(),
      clientId: z.string().default(''),
      secret: z.string().default(''),
      /** waits before each re-send after a failed push */
      retryDelaysMs: z.array(z.number().int().nonnegative()).default([500, 2000, 5000]),
      timeoutMs: z.number().int().positive().default(5000),
    })
    .prefault({}),
});
export type HisSandboxConfig = z.infer<typeof HisSandboxConfig>;
export type HisSandboxConfigInput = z.input<typeof HisSandboxConfig>;
