/**
 * GBK encoding for the bill files (Node can decode GBK but not encode it): the table is the
 * inverse of TextDecoder('gbk') over the double-byte range, built once.
 */
let table: Map<number, number> | undefined;

function build(): Map<number, number> {
  const t = new Map<number, number>();
  const d = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const s = d.decode(Uint8Array.of(lead, trail));
      const cp = s.codePointAt(0);
      if (s.length === 1 && cp !== undefined && cp !== 0xfffd && !t.has(cp)) t.set(cp, (lead << 8) | trail);
    }
  }
  return t;
}

export function encodeGbk(text: string): Buffer {
  table ??= build();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const v = table.get(cp);
      if (v === undefined) out.push(0x3f);
      else out.push(v >> 8, v & 0xff);
    }
  }
  return Buffer.from(out);
}
