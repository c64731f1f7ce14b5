/**
 * A kiosk "visit": the patient identified by their e-voucher QR at one device, for a few minutes.
 * It holds what the patient flow keeps in a profile (sealed identity, region, benefits, psnNo,
 * HIS patient id) plus the short-lived ecToken, and answers only to the device that opened it.
 * A visit of another device is answered exactly like a missing one.
 */
import crypto from 'node:crypto';
import type { HisBenefit } from '../his/port';
import { AppError } from '../http/app-error';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { SealedPerson } from '../sessions/person';
import type { KioskConfig } from './config';

/** A kiosk visit as stored; its idHash recognises the same patient on a voucher re-scan. */
export interface KioskVisitRecord extends SealedPerson {
  visitId: string;
  deviceId: string;
  createdAt: string;
  /** hard end of the visit; the idle timeout slides until then */
  endsAt: string;
  notice?: string;
  psnNo?: string;
  benefits: HisBenefit[];
  chosen?: HisBenefit;
  hisPatientId?: string;
  /** from the centre's QR decoding; used in 6201/6202 instead of payAuthNo */
  ecToken?: string;
  ecTokenExpiresAt?: string;
}

export type NewVisit = Omit<KioskVisitRecord, 'visitId' | 'deviceId' | 'createdAt' | 'endsAt'>;

export const VISIT_GONE = '本次自助服务已结束或已超时，请重新扫描医保电子凭证';

/** Order.ownerKey of orders made at a kiosk (domain/order.ts). */
export function kioskOwnerKey(deviceId: string): string {
  return `kiosk:${deviceId}`;
}

export class KioskVisits {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly cfg: KioskConfig) {}

  private key(visitId: string): string {
    return this.keys.session('kiosk-visit', visitId);
  }

  private ordersKey(visitId: string): string {
    return `${this.key(visitId)}:orders`;
  }

  /** Milliseconds the visit may still live: the idle timeout, capped by its hard end. */
  private ttlMs(v: KioskVisitRecord, now = Date.now()): number {
    return Math.min(this.cfg.visitIdleSeconds * 1000, Date.parse(v.endsAt) - now);
  }

  expiresAt(v: KioskVisitRecord, now = Date.now()): string {
    return new Date(now + Math.max(0, this.ttlMs(v, now))).toISOString();
  }

  async open(deviceId: string, v: NewVisit, now = new Date()): Promise<KioskVisitRecord> {
    const rec: KioskVisitRecord = {
      visitId: crypto.randomBytes(18).toString('base64url'),
      deviceId,
      createdAt: now.toISOString(),
      endsAt: new Date(now.getTime() + this.cfg.visitMaxSeconds * 1000).toISOString(),
      ...v,
    };
    await this.save(rec);
    return rec;
  }

  async save(v: KioskVisitRecord): Promise<void> {
    const ttl = this.ttlMs(v);
    if (ttl <= 0) throw new AppError('IDENTITY_REQUIRED', VISIT_GONE);
    await this.redis.set(this.key(v.visitId), JSON.stringify(v), 'PX', ttl);
  }

  /** The device's visit, or null when it is missing, over, or another device's. Slides the idle timeout. */
  async find(deviceId: string, visitId: string): Promise<KioskVisitRecord | null> {
    const raw = await this.redis.get(this.key(visitId));
    if (!raw) return null;
    const v = JSON.parse(raw) as KioskVisitRecord;
    if (v.deviceId !== deviceId) return null;
    const ttl = this.ttlMs(v);
    if (ttl <= 0) return null;
    await this.redis.pexpire(this.key(visitId), ttl);
    await this.redis.pexpire(this.ordersKey(visitId), ttl);
    return v;
  }

  async get(deviceId: string, visitId: string): Promise<KioskVisitRecord> {
    const v = await this.find(deviceId, visitId);
    if (!v) throw new AppError('IDENTITY_REQUIRED', VISIT_GONE);
    return v;
  }

  /** The ecToken while it is fresh; undefined once spent or expired. */
  liveEcToken(v: KioskVisitRecord, now: Date): string | undefined {
    return v.ecToken && v.ecTokenExpiresAt && Date.parse(v.ecTokenExpiresAt) > now.getTime() ? v.ecToken : undefined;
  }

  /** The centre refused the ecToken: forget it so the kiosk asks for the voucher again. */
  async dropEcToken(v: KioskVisitRecord): Promise<void> {
    const cur = await this.find(v.deviceId, v.visitId);
    if (!cur || cur.ecToken !== v.ecToken) return;
    delete cur.ecToken;
    delete cur.ecTokenExpiresAt;
    await this.save(cur);
  }

  async addOrder(v: KioskVisitRecord, orderNo: string): Promise<void> {
    await this.redis.sadd(this.ordersKey(v.visitId), orderNo);
    await this.redis.pexpire(this.ordersKey(v.visitId), Math.max(1000, this.ttlMs(v)));
  }

  async hasOrder(v: KioskVisitRecord, orderNo: string): Promise<boolean> {
    return (await this.redis.sismember(this.ordersKey(v.visitId), orderNo)) === 1;
  }

  async end(v: KioskVisitRecord): Promise<void> {
    await this.redis.del(this.key(v.visitId), this.ordersKey(v.visitId));
  }
}
