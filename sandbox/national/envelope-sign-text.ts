/**
 * The sign text ("待签名串") of the centre's envelope, written from the reference
 * (national-mobile-pay-2.0.md §3.2; sources FUWU `fuwu.js`, TSX `legacy-fsi-sm-crypto.ts`, SYN `StringUtils.SortJson`)
 * and NOT shared with the BFF (bff/src/national/envelope-canonical.ts): the sandbox is an independent witness.
 *
 *   appId=…&data=<canonical data>&encType=SM4&signType=SM2&timestamp=…&version=…&key=<appSecret>
 *
 * Canonical data: members whose value is null or "" are left out at every level (the centre's signature over the
 * SPC sample only verifies after `"amtMerchantId":""` is dropped), object keys in ordinal order, no spaces,
 * non-ASCII written as is. Where the sources differ it is an option:
 *   numbers: SYN/FUWU write them as strings, TSX as numbers (§3.2 caveat, §14.2);
 *   empty [] / {}: TSX leaves them out, SYN keeps them.
 */

export interface SignTextForm {
  /** write every number as a JSON string (SYN `SortJson`, FUWU); default: as a number (TSX) */
  numbersAsStrings?: boolean;
  /** leave out [] and {} (TSX); default: keep them (SYN) */
  dropEmpty?: boolean;
}

/** Envelope members that never enter the sign text (FUWU / TSX exclusion list, §3.2 step 1). */
export const NOT_SIGNED = ['signData', 'encData', 'extra'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `undefined` means "leave this member out". */
function write(value: unknown, form: SignTextForm): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a sign text cannot hold NaN or Infinity');
    return form.numbersAsStrings ? JSON.stringify(String(value)) : String(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0 && form.dropEmpty) return undefined;
    // an array keeps every position: an element that would be left out of an object is written as JSON has it
    return `[${value.map((el) => write(el, form) ?? (el === '' ? '""' : Array.isArray(el) ? '[]' : isObject(el) ? '{}' : 'null')).join(',')}]`;
  }
  if (isObject(value)) {
    const members: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const w = write(value[key], form);
      if (w !== undefined) members.push(`${JSON.stringify(key)}:${w}`);
    }
    if (members.length === 0 && form.dropEmpty) return undefined;
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`a sign text cannot hold a ${typeof value}`);
}

/** The canonical text of the business data object. */
export function canonicalData(data: Record<string, unknown>, form: SignTextForm = {}): string {
  return write(data, form) ?? '{}';
}

/** The sign text over the envelope's members (except NOT_SIGNED) and the plaintext data. */
export function signText(envelope: Record<string, unknown>, data: Record<string, unknown>, appSecret: string, form: SignTextForm = {}): string {
  const members: [string, string][] = [['data', canonicalData(data, form)]];
  for (const [k, v] of Object.entries(envelope)) {
    if (NOT_SIGNED.includes(k) || k === 'data' || v === undefined || v === null || v === '') continue;
    members.push([k, String(v)]);
  }
  members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${members.map(([k, v]) => `${k}=${v}`).join('&')}&key=${appSecret}`;
}

/** The forms a received signature is tried against: every combination the sources disagree on, as applicable. */
export function formsToTry(data: Record<string, unknown>): SignTextForm[] {
  const text = JSON.stringify(data);
  const hasNumbers = /:-?\d|[[,]-?\d/.test(text);
  const hasEmpty = /\[\]|\{\}/.test(text);
  const forms: SignTextForm[] = [{}];
  if (hasNumbers) forms.push({ numbersAsStrings: true });
  if (hasEmpty) for (const f of [...forms]) forms.push({ ...f, dropEmpty: true });
  return forms;
}
