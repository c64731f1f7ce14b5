/**
 * The one CSV writer (the day bill, the staff order export) through csv-stringify: RFC 4180
 * quoting, CRLF line ends, and a UTF-8 byte-order mark first — Excel on Chinese Windows opens a
 * CSV as GBK unless it starts with one. Text cells that start with = + - @ (or a tab / CR) get a
 * leading ' so a spreadsheet never runs them as formulas: order titles and names come from peers.
 */
import { stringify } from 'csv-stringify/sync';

export const BOM = '\uFEFF';

// csv-stringify quotes a cell holding the delimiter, a quote or the record delimiter (CRLF); a
// lone LF or CR must be quoted too, or a spreadsheet starts a new row there
const OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/** A text cell with a leading formula character neutralised. */
export function defused(v: string | undefined): string {
  const s = v ?? '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** One cell as it appears in the file (quoted when needed). */
export function cellText(v: string): string {
  return stringify([[v]], OPTIONS).slice(0, -2);
}

/** A whole document: the byte-order mark, then the sections' rows, one empty line between sections. */
export function csvDocument(...sections: string[][][]): string {
  const rows = sections.flatMap((s, i) => (i === 0 ? s : [[], ...s]));
  return BOM + stringify(rows, OPTIONS);
}
