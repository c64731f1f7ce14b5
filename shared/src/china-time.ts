/**
 * The one China-time module (UTC+8 all year, no daylight saving since 1991): every wall-clock
 * text the hospital, the peers, bills and screens see, from one shifted instant. Hand-written on
 * purpose: a fixed offset needs no time-zone database, and Intl's formatting differs between the
 * JS engines of the mini-programs.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;

function instant(input: Date | string | number): number {
  const t = input instanceof Date ? input.getTime() : typeof input === 'number' ? input : Date.parse(input);
  if (Number.isNaN(t)) throw new Error(`invalid time ${String(input)}`);
  return t;
}

/** "2026-01-02T11:04:05.678" — the instant as a China wall clock (no zone suffix) */
function wall(input: Date | string | number): string {
  return new Date(instant(input) + CHINA_OFFSET_MS).toISOString().slice(0, 23);
}

/** 2026-01-02 (China calendar day) */
export function chinaDay(input: Date | string | number): string {
  return wall(input).slice(0, 10);
}

/** 20260102 */
export function chinaCompactDay(input: Date | string | number): string {
  return chinaDay(input).replace(/-/g, '');
}

/** 2026-01-02 11:04:05 (HIS, Alipay, bills, spreadsheets) */
export function plainChina(input: Date | string | number = new Date()): string {
  return wall(input).slice(0, 19).replace('T', ' ');
}

/** 2026-01-02 11:04 (messages and screens) */
export function chinaMinute(input: Date | string | number): string {
  return wall(input).slice(0, 16).replace('T', ' ');
}

/** 20260102110405 (identifiers that carry their time) */
export function chinaStamp(input: Date | string | number): string {
  return wall(input).slice(0, 19).replace(/\D/g, '');
}

/** 2026-01-02T11:04:05+08:00 (RFC 3339 with the offset, e.g. WeChat Pay) */
export function rfc3339China(input: Date | string | number): string {
  return `${wall(input).slice(0, 19)}+08:00`;
}

/** "2026-01-02 11:04:05" read as China time → ISO instant; the text unchanged if unparseable. */
export function chinaPlainToIso(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text.trim());
  if (!m) return text;
  return new Date(`${m[1]}T${m[2]}+08:00`).toISOString();
}

/** epoch ms of 00:00 China time of a yyyy-MM-dd day */
export function chinaDayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}
