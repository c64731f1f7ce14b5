/**
 * The thin, impure side of reconciliation: loads our orders of the day, downloads each
 * channel's trade bill (and its neighbours, for rows booked across midnight), asks the centre
 * (6301) about each ordered order, runs the pure comparison and stores the result. It only
 * reads: an order's state is never changed by a reconciliation.
 */
import type { ChannelBillRow, ChannelName } from '../channels/port';
import type { Order } from '../domain/order';
import { tracked } from '../flows/calls';
import type { AppDeps as Deps } from '../app/deps';
import type { ReconciliationRun } from './contract';
import { addDays, chinaDay, compactDay } from './days';
import { reconcile } from './reconcile';
import { recordsOfDay, uniqueOrders } from './records';
import { newRunId, RunStore } from './run-store';
import type { CentreResult, ChannelBill } from './types';

export interface ReconOptions {
  /** orders created this many days before the date are loaded too (paid after midnight) */
  lookbackDays: number;
  /** a record this close to midnight may sit in the other day's channel bill */
  boundaryMs: number;
  centreConcurrency: number;
  channels: ChannelName[];
}

export const DEFAULT_RECON_OPTIONS: ReconOptions = { lookbackDays: 1, boundaryMs: 15 * 60_000, centreConcurrency: 8, channels: ['wechat', 'alipay'] };

export type ReconDeps = Pick<Deps, 'orders' | 'refundDays' | 'redis' | 'keys' | 'channels' | 'centre' | 'pii' | 'config' | 'log' | 'now'>;

const CHUNK = 200;

async function getOrders(deps: ReconDeps, orderNos: Iterable<string>): Promise<Order[]> {
  const nos = [...new Set(orderNos)];
  const out: Order[] = [];
  for (let i = 0; i < nos.length; i += CHUNK) out.push(...(await deps.orders.getMany(nos.slice(i, i + CHUNK))));
  return out;
}

/** Orders created on the day or the days before it (lookback), and orders with a refund that day. */
export async function loadDayOrders(deps: ReconDeps, day: string, lookbackDays: number): Promise<Order[]> {
  const days = Array.from({ length: lookbackDays + 1 }, (_, n) => compactDay(addDays(day, -n)));
  const lists = await Promise.all([...days.map((d) => deps.orders.orderNosOfDay(d)), deps.refundDays.orderNos(day)]);
  return getOrders(deps, lists.flat());
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

async function channelBill(deps: ReconDeps, channel: ChannelName, day: string, today: string): Promise<ChannelBill> {
  const port = deps.channels[channel];
  const bill: ChannelBill = { channel, neighbours: [], prevAvailable: false, nextAvailable: false };
  try {
    bill.rows = await port.downloadBill(day);
  } catch (err) {
    bill.error = message(err);
    deps.log.warn({ channel, day, err: bill.error }, 'reconciliation: channel bill unavailable');
    return bill;
  }
  const neighbour = async (d: string): Promise<ChannelBillRow[] | null> => {
    if (d > today) return null;
    try {
      return await port.downloadBill(d);
    } catch {
      return null;
    }
  };
  const [prev, next] = await Promise.all([neighbour(addDays(day, -1)), neighbour(addDays(day, 1))]);
  bill.prevAvailable = prev !== null;
  bill.nextAvailable = next !== null;
  bill.neighbours = [...(prev ?? []), ...(next ?? [])];
  return bill;
}

/** Orders a channel row points at that the day's load did not bring (older orders, refunds). */
async function ordersOfRows(deps: ReconDeps, bills: ChannelBill[], known: Order[]): Promise<Order[]> {
  const have = new Set(known.flatMap((o) => (o.payment ? [`${o.payment.channel}|${o.payment.outTradeNo}`] : [])));
  const wanted = new Map<string, { channel: ChannelName; outTradeNo: string }>();
  for (const b of bills) for (const r of b.rows ?? []) if (!have.has(`${b.channel}|${r.outTradeNo}`)) wanted.set(`${b.channel}|${r.outTradeNo}`, { channel: b.channel, outTradeNo: r.outTradeNo });
  const nos = await Promise.all([...wanted.values()].map((w) => deps.orders.byRef(`${w.channel}-out`, w.outTradeNo)));
  return getOrders(deps, nos.filter((n): n is string => !!n));
}

async function askCentre(deps: ReconDeps, orders: Order[], concurrency: number): Promise<Map<string, CentreResult>> {
  const out = new Map<string, CentreResult>();
  const queue = [...orders];
  const worker = async () => {
    for (let o = queue.shift(); o; o = queue.shift()) {
      const n = o.national!;
      try {
        const identity = deps.pii.open(o.piiSealed);
        const a = await tracked(deps, o.orderNo, 'national', '6301', () => deps.centre.querySettlement({ payOrdId: n.payOrdId, payToken: n.payToken, identity }));
        if (a.kind !== 'answered') out.set(o.orderNo, { ok: false, error: `${a.kind}: ${a.reason}` });
        else out.set(o.orderNo, { ok: true, ordStas: a.status.ordStas, ...(a.status.split ? { split: a.status.split } : {}) });
      } catch (err) {
        out.set(o.orderNo, { ok: false, error: message(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return out;
}

/** Runs one day's reconciliation, stores it and returns it. */
export async function runReconciliation(deps: ReconDeps, day: string, options: Partial<ReconOptions> = {}): Promise<ReconciliationRun> {
  const opts = { ...DEFAULT_RECON_OPTIONS, ...options };
  const started = deps.now();
  const today = chinaDay(started);
  const dayOrders = await loadDayOrders(deps, day, opts.lookbackDays);
  const bills = await Promise.all(opts.channels.map((c) => channelBill(deps, c, day, today)));
  const orders = uniqueOrders([...dayOrders, ...(await ordersOfRows(deps, bills, dayOrders))]);

  // the centre is asked about every ordered order of the day and every order with a record that day
  const ofDay = new Set(recordsOfDay(orders, day).map((r) => r.order.orderNo));
  const ask = orders.filter((o) => o.national?.ordered && (ofDay.has(o.orderNo) || chinaDay(o.createdAt) === day));
  const centre = await askCentre(deps, ask, opts.centreConcurrency);

  const outcome = reconcile({ date: day, orders, channels: bills, centre, settledOrdStas: deps.config.national.settledOrdStas, boundaryMs: opts.boundaryMs });
  const centreFailed = [...centre.values()].filter((c) => !c.ok);
  const run: ReconciliationRun = {
    runId: newRunId(started),
    date: day,
    startedAt: started.toISOString(),
    finishedAt: deps.now().toISOString(),
    complete: !outcome.incomplete && bills.every((b) => b.rows) && centreFailed.length === 0,
    sources: [
      ...bills.map((b) => ({ source: b.channel, ok: !!b.rows, count: b.rows?.length ?? 0, failed: b.rows ? 0 : 1, ...(b.error ? { error: b.error } : {}) })),
      { source: 'centre' as const, ok: centreFailed.length === 0, count: centre.size - centreFailed.length, failed: centreFailed.length, ...(centreFailed.length ? { error: (centreFailed[0] as { error: string }).error } : {}) },
    ],
    summary: outcome.summary,
    differences: outcome.differences,
    explained: outcome.explained,
  };
  await new RunStore(deps.redis, deps.keys).save(run);
  deps.log.info({ runId: run.runId, day, summary: run.summary, complete: run.complete }, 'reconciliation run finished');
  return run;
}
