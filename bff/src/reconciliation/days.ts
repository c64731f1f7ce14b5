/**
 * Calendar days in China time (UTC+8, no daylight saving), as yyyy-MM-dd. Bills and
 * reconciliation runs are per China day; the order store indexes days as yyyymmdd.
 */
import { chinaDay, chinaDayStartMs } from '@mip/shared';

const DAY_MS = 24 * 3600_000;

// China time itself lives in the one module (shared/src/china-time.ts)
export { chinaDay };

/** 2026-11-23 → 20261123 (the order store's day index) */
export function compactDay(day: string): string {
  return day.replace(/-/g, '');
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** epoch ms of 00:00 China time of the day */
export function dayStartMs(day: string): number {
  return chinaDayStartMs(day);
}

export function dayEndMs(day: string): number {
  return dayStartMs(day) + DAY_MS;
}

/** whole days from a to b (b - a) */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}
