/**
 * Redis key layout. Every key an atomic step touches carries the same hash tag `{sNN}` (the
 * order's shard), so on Redis Cluster each Lua step stays in one slot; on a single Redis or
 * Sentinel the tags are harmless. The shard count is fixed for the life of a deployment.
 */
import crypto from 'node:crypto';
import { BoundedCache } from '../crypto/lru';

export const SHARDS = 16;

/** the shards of recent keys: a step computes its order's shard several times, and SHA-1 costs microseconds each (issue 14) */
const recentShards = new BoundedCache<string, number>(10_000);

export function shardOf(key: string): number {
  let shard = recentShards.get(key);
  if (shard === undefined) {
    shard = crypto.createHash('sha1').update(key).digest().readUInt16BE(0) % SHARDS;
    recentShards.set(key, shard);
  }
  return shard;
}

export class Keys {
  constructor(readonly prefix: string) {}

  tag(shard: number): string {
    return `${this.prefix}{s${String(shard).padStart(2, '0')}}`;
  }

  order(orderNo: string): string {
    return `${this.tag(shardOf(orderNo))}:order:${orderNo}`;
  }
  calls(orderNo: string): string {
    return `${this.order(orderNo)}:calls`;
  }
  jobs(shard: number): string {
    return `${this.tag(shard)}:jobs`;
  }
  delayed(shard: number): string {
    return `${this.tag(shard)}:delayed`;
  }
  dead(shard: number): string {
    return `${this.tag(shard)}:dead`;
  }
  /** per-shard counters of orders by state (for metrics) */
  states(shard: number): string {
    return `${this.tag(shard)}:states`;
  }
  review(shard: number): string {
    return `${this.tag(shard)}:review`;
  }
  open(shard: number): string {
    return `${this.tag(shard)}:open`;
  }
  day(shard: number, yyyymmdd: string): string {
    return `${this.tag(shard)}:day:${yyyymmdd}`;
  }
  /** de-duplication of an inbound event (notification id, HIS message event id) */
  seen(scope: string, id: string): string {
    return `${this.tag(shardOf(id))}:seen:${scope}:${id}`;
  }
  /** external reference → order number (payOrdId, mix_trade_no, out_trade_no…) */
  ref(kind: string, ref: string): string {
    return `${this.prefix}{r:${kind}:${ref}}`;
  }
  /** a patient's orders, newest first */
  ownerOrders(ownerKey: string): string {
    return `${this.prefix}{u:${ownerKey}}:orders`;
  }
  idempotency(ownerKey: string, key: string): string {
    return `${this.prefix}{u:${ownerKey}}:idem:${key}`;
  }
  session(kind: string, id: string): string {
    return `${this.prefix}{sess:${kind}:${id}}`;
  }
  /** short-lived secrets such as payAuthNo, one per patient session */
  vault(scope: string, id: string): string {
    return `${this.prefix}{v:${scope}:${id}}`;
  }
  lock(name: string): string {
    return `${this.prefix}{lock:${name}}`;
  }
  cache(name: string): string {
    return `${this.prefix}cache:${name}`;
  }
}
