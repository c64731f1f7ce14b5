import type { OrderCriteria, StaffOrderRow } from './contract';
import type { Order } from '../domain/order';
import { dayOf, type OrderStore } from '../store/order-store';
import { toStaffRow } from './views';

/** China-time days from..to (yyyy-MM-dd, inclusive) as the yyyymmdd keys of the day index. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10).replace(/-/g, ''));
  return out;
}

/** Today in China time as yyyy-MM-dd (the console's default range). */
export function chinaToday(now = new Date()): string {
  const d = dayOf(now);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

export interface SearchDeps {
  orders: OrderStore;
  /** keyed hash of an ID number (PiiCipher.lookupHash): the number itself is never kept */
  idHash: (idNo: string) => string;
}

function matcher(c: OrderCriteria, idHash: SearchDeps['idHash']): (o: Order) => boolean {
  const hash = c.idNo ? idHash(c.idNo) : undefined;
  const days = c.from && c.to ? new Set(daysBetween(c.from, c.to)) : undefined;
  return (o) =>
    (!hash || o.patientIdHash === hash) &&
    (!c.orderNo || o.orderNo === c.orderNo) &&
    (!c.channel || o.channel === c.channel) &&
    (!c.state || o.state === c.state) &&
    (!days || days.has(dayOf(o.createdAt)));
}

const CHUNK = 200;

/**
 * Every order matching the criteria, newest first. Orders are read day by day in chunks and
 * reduced to rows at once, so a month of a busy hospital never sits in memory as full documents.
 */
export async function searchOrders(deps: SearchDeps, c: OrderCriteria): Promise<StaffOrderRow[]> {
  const match = matcher(c, deps.idHash);
  const rows: StaffOrderRow[] = [];
  const take = (orders: Order[]) => {
    for (const o of orders) if (match(o)) rows.push(toStaffRow(o));
  };
  if (c.orderNo) {
    const o = await deps.orders.get(c.orderNo);
    if (o) take([o]);
  } else if (c.from && c.to) {
    for (const day of daysBetween(c.from, c.to)) {
      const nos = await deps.orders.orderNosOfDay(day);
      for (let i = 0; i < nos.length; i += CHUNK) take(await deps.orders.getMany(nos.slice(i, i + CHUNK)));
    }
  }
  return rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.orderNo < b.orderNo ? 1 : -1));
}

export function paginate<T>(rows: T[], page: number, pageSize: number): T[] {
  return rows.slice((page - 1) * pageSize, page * pageSize);
}
