/**
 * Finds the exact text of top-level members of a JSON object without re-serialising anything:
 * Alipay signs the `*_response` value as it was written (escapes, spacing, key order included).
 */
export function topLevelMembers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = skipWs(text, 0);
  if (text[i] !== '{') throw new Error('not a JSON object');
  i = skipWs(text, i + 1);
  if (text[i] === '}') return out;
  for (;;) {
    if (text[i] !== '"') throw new Error(`expected a key at ${i}`);
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') throw new Error(`expected ':' at ${i}`);
    const start = skipWs(text, i + 1);
    const end = skipValue(text, start);
    out.set(key, text.slice(start, end));
    i = skipWs(text, end);
    if (text[i] === ',') {
      i = skipWs(text, i + 1);
      continue;
    }
    if (text[i] === '}') return out;
    throw new Error(`expected ',' or '}' at ${i}`);
  }
}

function skipWs(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\n' || t[i] === '\r' || t[i] === '\t')) i++;
  return i;
}

function skipString(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++;
    else if (t[j] === '"') return j + 1;
  }
  throw new Error('unterminated string');
}

function skipValue(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return skipString(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const ch = t[j];
      if (ch === '"') j = skipString(t, j) - 1;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new Error('unterminated value');
  }
  let j = i;
  while (j < t.length && !',}] \n\r\t'.includes(t[j])) j++;
  if (j === i) throw new Error(`expected a value at ${i}`);
  return j;
}
