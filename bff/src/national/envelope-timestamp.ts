/**
 * Envelope timestamps (reference §2.1, §14.4): epoch milliseconds (SDK, SPC; string or number) or the
 * Shanxi variant `yyyyMMddHHmmss` in Asia/Shanghai time (UTC+8 all year, no DST since 1991).
 */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Epoch ms of an envelope timestamp, or undefined when it is in neither accepted format. */
export function parseEnvelopeTimestamp(ts: unknown): number | undefined {
  if (typeof ts === 'number') return Number.isSafeInteger(ts) && ts >= 1e12 && ts < 1e13 ? ts : undefined;
  if (typeof ts !== 'string') return undefined;
  if (/^\d{13}$/.test(ts)) return Number(ts);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  // reject 20250230…, 25:00 and the like instead of letting Date roll them over
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return undefined;
  }
  return utc - SHANGHAI_OFFSET_MS;
}

/** `yyyyMMddHHmmss` in Asia/Shanghai for the provinces that use it. */
export function formatShanghaiTimestamp(epochMs: number): string {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return p(d.getUTCFullYear(), 4) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes()) + p(d.getUTCSeconds());
}
