/**
 * Mainland resident ID numbers (GB 11643-1999): 17 digits + a check character (0-9 or X).
 * Checked on the client for a quick hint and again in the BFF before anything reaches HIS.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isValidIdNumber(raw: string): boolean {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id[17];
}

/** 440106********1234 — enough for a person to recognise, useless to anyone else. */
export function maskIdNumber(raw: string): string {
  const id = normalizeIdNumber(raw);
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** 张*、欧阳** — keep the family name only. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}
