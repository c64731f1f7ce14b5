/** Hospital time is China time (UTC+8, no daylight saving), whatever the machine's zone. */
const OFFSET_MS = 8 * 3600_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function parts(ms: number) {
  const d = new Date(ms + OFFSET_MS);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
}

/** yyyy-MM-dd */
export function cnDate(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/** yyyy-MM-dd HH:mm:ss */
export function cnDateTime(ms: number): string {
  const p = parts(ms);
  return `${cnDate(ms)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/** yyyyMMdd */
export const cnCompactDate = (ms: number) => cnDate(ms).replaceAll('-', '');

/** The instant of `HH:mm` on a China calendar day `yyyy-MM-dd`. */
export function cnInstant(date: string, hhmm: string): number {
  return Date.parse(`${date}T${hhmm}:00+08:00`);
}

/** The next `days` China calendar days, today first. */
export function cnDays(now: number, days: number): string[] {
  const today = cnInstant(cnDate(now), '12:00');
  return Array.from({ length: days }, (_, i) => cnDate(today + i * 86_400_000));
}
