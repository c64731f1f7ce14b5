/**
 * Canonical text of the national mobile-payment envelope (reference §3.2, "待签名串"):
 *
 *   appId=…&data=<canonical JSON>&encType=SM4&signType=SM2&timestamp=…&version=2.0.1&key=<appSecret>
 *
 * Canonical JSON: null / undefined / "" members dropped at every level (optionally also [] and {}), object keys
 * sorted by UTF-16 code unit (= Java/C# ordinal order), arrays in their order, compact, non-ASCII unescaped.
 * Numbers are written as they were received: decrypted payloads are parsed with `parseJsonKeepingNumbers`,
 * which keeps each number's source text (1.10 stays 1.10), because the signer serialised its own number text.
 */

/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
  toNumber(): number {
    return Number(this.raw);
  }
}

export interface CanonicalOptions {
  /** also drop [] and {} (after cleaning their contents); TSX does, the SDK does not. Default false. */
  dropEmptyContainers?: boolean;
  /** write numbers as JSON strings (the SDK's `SortJson`). Default false. */
  numbersAsStrings?: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function numberText(v: number): string {
  if (!Number.isFinite(v)) throw new TypeError(`cannot sign a non-finite number (${v})`);
  return JSON.stringify(v);
}

/** Canonical JSON of a value, or undefined when the value is dropped (null, undefined, "", empties if asked). */
function canonical(v: unknown, opts: CanonicalOptions, path: string): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number': {
      const t = numberText(v);
      return opts.numbersAsStrings ? JSON.stringify(t) : t;
    }
    case 'object':
      break;
    default:
      throw new TypeError(`cannot sign a ${typeof v} at ${path || 'the top level'}`);
  }
  if (v instanceof JsonNumber) return opts.numbersAsStrings ? JSON.stringify(v.raw) : v.raw;
  if (Array.isArray(v)) {
    // elements keep their positions: nothing inside an array is dropped
    const parts = v.map((el: unknown, i) =>
      el === null || el === undefined ? 'null' : el === '' ? '""' : canonical(el, opts, `${path}[${i}]`) ?? (Array.isArray(el) ? '[]' : '{}'),
    );
    if (parts.length === 0 && opts.dropEmptyContainers) return undefined;
    return '[' + parts.join(',') + ']';
  }
  if (!isPlainObject(v)) throw new TypeError(`cannot sign a ${v.constructor?.name ?? 'non-plain object'} at ${path || 'the top level'}`);
  const parts: string[] = [];
  for (const k of Object.keys(v).sort()) {
    const c = canonical(v[k], opts, path ? `${path}.${k}` : k);
    if (c !== undefined) parts.push(JSON.stringify(k) + ':' + c);
  }
  if (parts.length === 0 && opts.dropEmptyContainers) return undefined;
  return '{' + parts.join(',') + '}';
}

/** Canonical JSON of the business `data` (always an object text, `{}` when everything was dropped). */
export function canonicalJson(data: unknown, opts: CanonicalOptions = {}): string {
  return canonical(data, opts, '') ?? (Array.isArray(data) ? '[]' : '{}');
}

/** Envelope fields that are never signed (FUWU / TSX exclusion list). */
export const UNSIGNED_FIELDS: ReadonlySet<string> = new Set(['signData', 'encData', 'extra']);

/**
 * The sign text: every envelope field except signData/encData/extra, plus `data` (canonical JSON), keys in
 * ordinal order, empty values skipped, `k=v` joined with `&`, then `&key=<appSecret>`.
 */
export function buildSignText(envelopeFields: Record<string, unknown>, data: unknown, appSecret: string, opts: CanonicalOptions = {}): string {
  const fields = new Map<string, string>();
  for (const [k, v] of Object.entries(envelopeFields)) {
    if (UNSIGNED_FIELDS.has(k) || k === 'data' || v === null || v === undefined || v === '') continue;
    fields.set(k, typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : canonicalJson(v, opts));
  }
  fields.set('data', canonicalJson(data, opts));
  const pairs = [...fields.keys()].sort().map((k) => `${k}=${fields.get(k)}`);
  return pairs.join('&') + '&key=' + appSecret;
}

/** Whether a parsed payload holds any JSON number (then both number canonicalisations are tried). */
export function containsNumbers(v: unknown): boolean {
  if (v instanceof JsonNumber || typeof v === 'number') return true;
  if (Array.isArray(v)) return v.some(containsNumbers);
  if (isPlainObject(v)) return Object.values(v).some(containsNumbers);
  return false;
}

/** Whether a payload holds an empty array or object below the top level. */
export function containsEmptyContainers(v: unknown, top = true): boolean {
  if (Array.isArray(v)) return (!top && v.length === 0) || v.some((el) => containsEmptyContainers(el, false));
  if (isPlainObject(v)) {
    const vals = Object.values(v);
    return (!top && vals.length === 0) || vals.some((el) => containsEmptyContainers(el, false));
  }
  return false;
}

// ---------------------------------------------------------------- JSON parsing that keeps number text

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Strict JSON (RFC 8259) parse; numbers become JsonNumber. Throws SyntaxError. */
export function parseJsonKeepingNumbers(text: string): unknown {
  let i = 0;
  const skip = (): void => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what} at position ${i}`);
  };
  const str = (): string => {
    let j = i + 1;
    let plain = true;
    for (;;) {
      const c = text.charCodeAt(j);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c || c < 0x20) plain = false;
      j += c === 0x5c ? 2 : 1;
    }
    // without escapes or control characters the text is the string; else JSON.parse validates
    // the escapes and rejects raw control characters
    const s = plain ? text.slice(i + 1, j) : (JSON.parse(text.slice(i, j + 1)) as string);
    i = j + 1;
    return s;
  };
  const value = (depth: number): unknown => {
    if (depth > 200) fail('nesting too deep');
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        skip();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        setOwn(obj, k, value(depth + 1));
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const lit = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined;
    if (lit && text.startsWith(lit, i)) {
      i += lit.length;
      return lit === 'true' ? true : lit === 'false' ? false : null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('unexpected token');
    i = NUMBER.lastIndex;
    return new JsonNumber(m[0]);
  };
  const v = value(0);
  skip();
  if (i !== text.length) fail('unexpected data after the value');
  return v;
}

/** obj[k] = v, except that a "__proto__" key stays an own data property, as with JSON.parse */
function setOwn(obj: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[k] = v;
}

/** The value JSON.parse would give: JsonNumber → number. */
export function toPlain(v: unknown): unknown {
  if (v instanceof JsonNumber) return v.toNumber();
  if (Array.isArray(v)) return v.map(toPlain);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, toPlain(v[k]));
    return out;
  }
  return v;
}
