/**
 * Unit price and quantity at the national precision: `pric` 16,6 and `cnt` 16,4 (national
 * fee-detail table; HSA carries both as BigDecimal, e.g. OutptTmakePriceFormBOImpl.java). Money
 * totals stay integer fen; these two stay decimal strings, multiplied in BigInt — never floats.
 */
const PRIC = /^(\d{1,10})(?:\.(\d{1,6}))?$/;
const CNT = /^(\d{1,12})(?:\.(\d{1,4}))?$/;

function scaled(text: string, re: RegExp, places: number): bigint | undefined {
  const m = re.exec(text.trim());
  if (!m) return undefined;
  return BigInt(m[1]) * 10n ** BigInt(places) + BigInt((m[2] ?? '').padEnd(places, '0'));
}

function render(v: bigint, places: number): string {
  const unit = 10n ** BigInt(places);
  const frac = (v % unit).toString().padStart(places, '0').replace(/0+$/, '');
  return frac ? `${v / unit}.${frac}` : String(v / unit);
}

/** "2.500000" → "2.5"; undefined when it is not a 16,6 decimal. */
export function normalizePric(text: string): string | undefined {
  const v = scaled(text, PRIC, 6);
  return v === undefined ? undefined : render(v, 6);
}

/** "1.50" → "1.5"; undefined when it is not a 16,4 decimal. */
export function normalizeCnt(text: string): string | undefined {
  const v = scaled(text, CNT, 4);
  return v === undefined ? undefined : render(v, 4);
}

/** pric × cnt in fen, rounded half up (10 decimals of yuan → fen); undefined for malformed input. */
export function lineTotalFen(pric: string, cnt: string): number | undefined {
  const p = scaled(pric, PRIC, 6);
  const c = scaled(cnt, CNT, 4);
  if (p === undefined || c === undefined) return undefined;
  const tenDecimals = p * c; // yuan × 10^10
  const perFen = 10n ** 8n;
  const fen = (tenDecimals + perFen / 2n) / perFen;
  return fen > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(fen);
}
