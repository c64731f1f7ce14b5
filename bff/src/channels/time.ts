/** Wall-clock formats the channels want, always in China time (UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3600_000;

function parts(d: Date): string[] {
  const t = new Date(d.getTime() + OFFSET_MS).toISOString(); // 2026-01-02T03:04:05.678Z
  return [t.slice(0, 10), t.slice(11, 19)];
}

/** 2026-01-02T11:04:05+08:00 (WeChat Pay RFC 3339 with the mandatory offset) */
export function rfc3339China(input: Date | string): string {
  const d = typeof input === 'string' ? new Date(input) : input;
  if (Number.isNaN(d.getTime())) throw new Error(`invalid time ${String(input)}`);
  const [day, time] = parts(d);
  return `${day}T${time}+08:00`;
}

/** 2026-01-02 11:04:05 (Alipay gateway timestamps, bills) */
export function plainChina(input: Date | string = new Date()): string {
  const d = typeof input === 'string' ? new Date(input) : input;
  if (Number.isNaN(d.getTime())) throw new Error(`invalid time ${String(input)}`);
  const [day, time] = parts(d);
  return `${day} ${time}`;
}

/** "2026-01-02 11:04:05" read as China time → ISO instant. Returns the text unchanged if unparseable. */
export function chinaPlainToIso(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text.trim());
  if (!m) return text;
  return new Date(`${m[1]}T${m[2]}+08:00`).toISOString();
}
