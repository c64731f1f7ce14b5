/**
 * What the kiosk's use cases (identity.ts, orders.ts, paying.ts) need from the kiosk's adapters:
 * the e-voucher service that reads a patient's QR (e-voucher.ts) and the store of kiosk visits
 * (visits.ts, in Redis). Use cases import this file only, never the adapters (.dependency-cruiser.cjs,
 * rule flows-to-domain-and-ports).
 */
import type { HisBenefit } from '../his/port';
import type { SealedPerson } from '../domain/person';

export interface VoucherIdentity {
  idNo: string;
  userName: string;
  idType: string;
  ecToken: string;
  /** insuOrg: the patient's insured region */
  insuplcAdmdvs: string;
}

/** The e-voucher service said no (expired, used or unknown QR). */
export class VoucherRefusedError extends Error {
  constructor(readonly code: string, readonly detail: string) {
    super(`e-voucher service refused ec.query: ${code} ${detail}`);
    this.name = 'VoucherRefusedError';
  }
}

/** The answer was neither a refusal nor a usable identity. */
export class VoucherFormatError extends Error {
  constructor(message: string) {
    super(`e-voucher service ec.query: ${message}`);
    this.name = 'VoucherFormatError';
  }
}

/** Reads a patient's e-voucher QR into an identity and an ecToken (e-voucher.ts: ec.query). */
export interface EVoucherReader {
  query(qrCode: string, deviceId: string): Promise<VoucherIdentity>;
}

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

/** Order.ownerKey of orders made at a kiosk (domain/order.ts). */
export function kioskOwnerKey(deviceId: string): string {
  return `kiosk:${deviceId}`;
}

/** The kiosk visits, each answering only to the device that opened it (visits.ts). */
export interface KioskVisitStore {
  expiresAt(v: KioskVisitRecord, now?: number): string;
  open(deviceId: string, v: NewVisit, now?: Date): Promise<KioskVisitRecord>;
  save(v: KioskVisitRecord): Promise<void>;
  /** the device's visit, or null when it is missing, over, or another device's */
  find(deviceId: string, visitId: string): Promise<KioskVisitRecord | null>;
  /** the device's visit, or IDENTITY_REQUIRED */
  get(deviceId: string, visitId: string): Promise<KioskVisitRecord>;
  liveEcToken(v: KioskVisitRecord, now: Date): string | undefined;
  dropEcToken(v: KioskVisitRecord): Promise<void>;
  addOrder(v: KioskVisitRecord, orderNo: string): Promise<void>;
  hasOrder(v: KioskVisitRecord, orderNo: string): Promise<boolean>;
  end(v: KioskVisitRecord): Promise<void>;
}
