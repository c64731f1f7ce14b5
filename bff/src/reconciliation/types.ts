/**
 * What one reconciliation compares (all plain data, gathered by the runner) and the collector
 * of its findings. The comparison itself is pure: compare-channel.ts, compare-centre.ts.
 */
import type { Split } from '@mip/shared';
import type { ChannelBillRow, ChannelName } from '../channels/port';
import type { Order } from '../domain/order';
import type { Difference, Explained } from './contract';

export type ExplainReason = Explained['reason'];

/** One channel's trade bill of the day, and what could be had of the neighbouring days. */
export interface ChannelBill {
  channel: ChannelName;
  /** absent when the bill could not be downloaded: that channel is not compared */
  rows?: ChannelBillRow[];
  error?: string;
  /** rows of the previous and next day's bills, to tell a row booked across midnight */
  neighbours: ChannelBillRow[];
  prevAvailable: boolean;
  nextAvailable: boolean;
}

/** The centre's 6301 answer for one of our orders. */
export type CentreResult = { ok: true; ordStas: string; split?: Split } | { ok: false; error: string };

export interface ReconInput {
  /** yyyy-MM-dd, China time */
  date: string;
  /** every order that may matter: those of the day and those the bills point at */
  orders: Order[];
  channels: ChannelBill[];
  /** by order number; an order absent here was not asked */
  centre: ReadonlyMap<string, CentreResult>;
  settledOrdStas: readonly string[];
  /** a record this close to midnight may be booked on the other day by the peer */
  boundaryMs: number;
}

/** Collects differences and explained differences, and which of our records they touch. */
export class Findings {
  readonly differences: Difference[] = [];
  readonly explained: Explained[] = [];
  readonly flagged = new Set<string>();
  /** records that could not be compared with some side (bill or centre unavailable) */
  readonly unverified = new Set<string>();

  add(d: Difference, reason: ExplainReason | undefined, recordId?: string): void {
    if (reason) this.explained.push({ ...d, reason });
    else this.differences.push(d);
    if (recordId) this.flagged.add(recordId);
  }
}
