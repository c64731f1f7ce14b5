/**
 * Money is integer fen (分) everywhere inside the system. Peers speak yuan strings ("12.30");
 * those are parsed as decimal text, never through a float, and formatted back the same way.
 */

export type Fen = number;

export class MoneyFormatError extends Error {
  constructor(readonly input: unknown, reason: string) {
    super(`invalid money amount ${JSON.stringify(input)}: ${reason}`);
    this.name = 'MoneyFormatError';
  }
}

const YUAN_TEXT = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Parses a yuan decimal string ("12.3", "0.05", "-1.00") into integer fen. */
export function yuanToFen(input: string | number): Fen {
  // A JSON number from a peer (the 6203 response carries some) is turned back into its shortest
  // decimal text, which is the literal the peer wrote; anything not plain decimal is refused.
  const text = typeof input === 'number' ? numberText(input) : input.trim();
  const m = YUAN_TEXT.exec(text);
  if (!m) throw new MoneyFormatError(input, 'expected a yuan amount with at most 2 decimals');
  const [, sign, whole, frac = ''] = m;
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  assertFen(fen);
  return sign && fen !== 0 ? -fen : fen;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyFormatError(n, 'not a finite number');
  const s = String(n);
  if (/e/i.test(s)) throw new MoneyFormatError(n, 'exponent notation');
  return s;
}

/** Formats fen as a yuan string with two decimals, the form the national interfaces expect. */
export function fenToYuan(fen: Fen): string {
  assertFen(fen);
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return neg ? `-${text}` : text;
}

/** "¥12.30" for people. */
export function formatFen(fen: Fen): string {
  return `¥${fenToYuan(fen)}`;
}

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: unknown): asserts value is Fen {
  if (!isFen(value)) throw new MoneyFormatError(value, 'fen must be a safe integer');
}

export function sumFen(...parts: Fen[]): Fen {
  let total = 0;
  for (const p of parts) {
    assertFen(p);
    total += p;
  }
  assertFen(total);
  return total;
}

/** The insurance split of one payment: total = fund (统筹) + personal account (个账) + self-pay (自费). */
export interface Split {
  totalFen: Fen;
  fundFen: Fen;
  acctFen: Fen;
  /** what the patient pays through WeChat/Alipay (the hospital-borne part already taken off) */
  cashFen: Fen;
  /** another fund's share (6202 othFeeAmt; WeChat med_ins_other_fee), when the centre answers one */
  otherFundFen?: Fen;
  /** the hospital-borne part of the self-pay (6202 hospPartAmt): never charged to the patient */
  hospitalFen?: Fen;
}

/** total = fund + account + self-pay (+ other fund + hospital part, when present). */
export function splitAddsUp(s: Split): boolean {
  const parts = [s.fundFen, s.acctFen, s.cashFen, s.otherFundFen ?? 0, s.hospitalFen ?? 0];
  return [s.totalFen, ...parts].every((v) => isFen(v) && v >= 0) && parts.reduce((a, b) => a + b, 0) === s.totalFen;
}

export function assertSplit(s: Split): Split {
  if (!splitAddsUp(s)) {
    throw new MoneyFormatError(s, 'split does not add up: total must equal fund + account + self-pay');
  }
  return s;
}
