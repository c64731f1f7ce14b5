import { KioskConfig } from '../config/kiosk';

export { CashierConfig, EVoucherConfig, KioskConfig } from '../config/kiosk';

type Flat = 'visitIdleSeconds' | 'visitMaxSeconds' | 'ecTokenTtlSeconds' | 'location' | 'pollAfterMs';
const ENV: Record<string, Flat> = {
  MIP_KIOSK_VISIT_IDLE_SECONDS: 'visitIdleSeconds',
  MIP_KIOSK_VISIT_MAX_SECONDS: 'visitMaxSeconds',
  MIP_KIOSK_EC_TOKEN_TTL_SECONDS: 'ecTokenTtlSeconds',
  MIP_KIOSK_LOCATION: 'location',
  MIP_KIOSK_POLL_AFTER_MS: 'pollAfterMs',
};
const NUMERIC = new Set<Flat>(['visitIdleSeconds', 'visitMaxSeconds', 'ecTokenTtlSeconds', 'pollAfterMs']);

export function kioskConfigOf(config: { env: string }, env: NodeJS.ProcessEnv = process.env): KioskConfig {
  const fromConfig = (config as { kiosk?: unknown }).kiosk;
  const raw: Record<string, unknown> = fromConfig && typeof fromConfig === 'object' ? { ...(fromConfig as Record<string, unknown>) } : {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    // the environment wins, as PORT and REDIS_URL do over the file (config/index.ts)
    if (v !== undefined && v !== '') raw[key] = NUMERIC.has(key) ? Number(v) : v;
  }
  const parsed = KioskConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid kiosk configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
