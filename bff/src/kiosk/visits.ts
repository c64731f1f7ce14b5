/**
 * A kiosk "visit": the patient identified by their e-voucher QR at one device, for a few minutes.
 * It holds what the patient flow keeps in a profile (sealed identity, region, benefits, psnNo,
 * HIS patient id) plus the short-lived ecToken, and answers only to the device that opened it.
 * A visit of another device is answered exactly like a missing one.
 */
import crypto from 'node:crypto';
import { DomainError } from '../domain/errors';
import type { KioskVisitStore as VisitRecords } from '../store/port';
import type { KioskConfig } from './config';
import type { KioskVisitRecord, KioskVisitStore, NewVisit } from './port';

export const VISIT_GONE = '本次自助服务已结束或已超时，请重新扫描医保电子凭证';

export class KioskVisits implements KioskVisitStore {
  constructor(
    private readonly store: VisitRecords<KioskVisitRecord>,
    private readonly cfg: KioskConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Milliseconds the visit may still live: the idle timeout, capped by its hard end. */
  private ttlMs(v: KioskVisitRecord, now = this.clock().getTime()): number {
    return Math.min(this.cfg.visitIdleSeconds * 1000, Date.parse(v.endsAt) - now);
  }

  expiresAt(v: KioskVisitRecord, now = this.clock().getTime()): string {
    return new Date(now + Math.max(0, this.ttlMs(v, now))).toISOString();
  }

  async open(deviceId: string, v: NewVisit, now = this.clock()): Promise<KioskVisitRecord> {
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
    if (ttl <= 0) throw new DomainError('IDENTITY_REQUIRED', VISIT_GONE);
    await this.store.put(v.visitId, v, ttl);
  }

  /** The device's visit, or null when it is missing, over, or another device's. Slides the idle timeout. */
  async find(deviceId: string, visitId: string): Promise<KioskVisitRecord | null> {
    return this.store.touch(visitId, (v) => (v.deviceId === deviceId ? this.ttlMs(v) : 0));
  }

  async get(deviceId: string, visitId: string): Promise<KioskVisitRecord> {
    const v = await this.find(deviceId, visitId);
    if (!v) throw new DomainError('IDENTITY_REQUIRED', VISIT_GONE);
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
    await this.store.addOrder(v.visitId, orderNo, Math.max(1000, this.ttlMs(v)));
  }

  async hasOrder(v: KioskVisitRecord, orderNo: string): Promise<boolean> {
    return this.store.hasOrder(v.visitId, orderNo);
  }

  async end(v: KioskVisitRecord): Promise<void> {
    await this.store.remove(v.visitId);
  }
}
