import fs from 'node:fs';
import { z } from 'zod';
import { NationalConfig } from './national';
import { HisConfig } from './his';
import { ChannelsConfig } from './channels';
import { SecurityConfig } from './security';
import { KioskConfig } from './kiosk';
import { RateLimitsConfig } from './rate-limits';
import { readMerchantKeyFile, wechatProductionProblems } from '../channels/wechat/startup';

/**
 * The whole BFF configuration, validated at start-up. The sandbox stack writes one of these for
 * local use; a hospital deployment points MIP_CONFIG at its own file with the real endpoints.
 */
export const Config = z.object({
  env: z.enum(['sandbox', 'test', 'production']).default('sandbox'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** the public https origin peers call back (6302, WeChat/Alipay notifications) */
  publicBaseUrl: z.string().url(),
  hospital: z.object({
    name: z.string(),
    code: z.string(),
    /** the hospital's service phone, shown to patients under every error (absent: "到医院窗口咨询" only) */
    servicePhone: z.string().min(3).max(40).optional(),
  }),
  redis: z.object({ url: z.string(), keyPrefix: z.string().default('mip:') }),
  national: NationalConfig,
  his: HisConfig,
  channels: ChannelsConfig,
  security: SecurityConfig,
  kiosk: KioskConfig.prefault({}),
  /** sandbox only: where the H5 preview finds the sandbox channels (GET /api/config) */
  sandboxPreview: z.object({ wechatUrl: z.string(), alipayUrl: z.string() }).optional(),
  /** serve the H5 preview build from this directory on the BFF origin (sandbox only) */
  h5Dir: z.string().optional(),
  validateResponses: z.boolean().default(false),
  /** worker: how many jobs each BFF process works on at once */
  workerConcurrency: z.number().int().positive().default(8),
  /** an unpaid order is cancelled (6401) after this long */
  unpaidOrderTtlMs: z.number().int().positive().default(30 * 60_000),
  /**
   * 退号: a paid registration can be cancelled online until this many minutes before its session
   * starts (inferred: hospitals set their own cut-off, commonly the session's start; the sandbox
   * HIS has its own, sandbox/his/config.ts cancelCutoffMinutes, and refuses after it).
   */
  registrationCancelCutoffMinutes: z.number().int().nonnegative().default(0),
  /** patient login per address, order create and pay per patient (http/rate-limit.ts) */
  rateLimits: RateLimitsConfig.prefault({}),
});
export type Config = z.infer<typeof Config>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.MIP_CONFIG;
  if (!file) throw new Error('MIP_CONFIG is not set: point it at the BFF configuration JSON');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (env.PORT) raw.port = Number(env.PORT);
  if (env.REDIS_URL) raw.redis = { ...(raw.redis as object), url: env.REDIS_URL };
  readMerchantKeyFile((raw.channels as Record<string, Record<string, unknown>> | undefined)?.wechat);
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid configuration in ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const cfg = parsed.data;
  if (cfg.env === 'production') {
    const problems = wechatProductionProblems({ publicBaseUrl: cfg.publicBaseUrl, wechat: cfg.channels.wechat });
    if (problems.length) throw new Error(`configuration ${file} is not fit for production:\n- ${problems.join('\n- ')}`);
  }
  return cfg;
}
