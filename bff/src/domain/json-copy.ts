/**
 * A deep copy of a JSON value — what an order is (it is stored as JSON). Hand-written because the
 * built-in structuredClone, which also handles Maps, Dates and cycles an order never holds, was
 * 2–3 % of the BFF's CPU per payment (issue 14); this is ~5× faster on an order. Like JSON, it
 * leaves out properties whose value is undefined.
 */
export function jsonCopy<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = copy(v[i]);
    return a;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = copy(x);
  }
  return out;
}
