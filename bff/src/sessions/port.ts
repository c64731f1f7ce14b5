/**
 * What flows know of a patient's server-side state (issue 13.3, rule flows-to-domain-and-ports):
 * the session, the held pay authorization, the profile and the family members. Implementations
 * (Redis): sessions/patient-sessions.ts, pay-auth-vault.ts, profile.ts, family.ts, wired in
 * app/wiring.ts. Flows import this file, never those.
 */
import type { HisBenefit } from '../his/port';
import type { SealedPerson } from '../domain/person';

export interface PatientSession {
  sessionId: string;
  channel: 'wechat' | 'alipay';
  openId: string;
  /** owner of orders and profile: `${channel}:${openId}` */
  ownerKey: string;
  createdAt: string;
  expiresAt: string;
}

/** A pay authorization (payAuthNo) as the BFF holds it: server-side only, short-lived. */
export interface HeldAuthorization {
  payAuthNo: string;
  expiresAt: string;
  location?: string;
  /** sealed: the voucher holder's {name, idNo} (security/pii.ts) when they pay for a relative (亲情付) */
  payer?: { name?: string; idNo?: string; familyPay: boolean; sealed?: string };
  /** Alipay: the authorization's medical_card_id, for createandpay extend_params */
  medicalCardId?: string;
}

/** 'used': taken by an order (one authorization, one payment); 'expired': its life ran out unused. */
export type AuthorizationStatus =
  | { state: 'none' }
  | { state: 'active'; expiresAt: string; familyPay: boolean }
  | { state: 'used'; orderNo: string; familyPay: boolean }
  | { state: 'expired'; expiresAt: string; familyPay: boolean };

/**
 * What the pay step gets (PayAuthorizations.takeForOrder): 'bound', the order's own from an earlier
 * attempt; 'taken', the patient's held one, now the order's; 'misfit', the held one does not fit
 * the order (亲情付 or not) and stays held, unspent; 'none', nothing held (or it expired).
 */
export type TakenAuthorization = { kind: 'bound' | 'taken' | 'misfit'; auth: HeldAuthorization } | { kind: 'none' };

/**
 * payAuthNo is single-use and lives minutes: held per patient until an order takes it, then bound
 * to that order (retries of the same payment may reuse it) and nothing else (sessions/pay-auth-vault.ts).
 */
export interface PayAuthorizations {
  /** holds it for the channel's life (capped by configuration); answers the life it is held for */
  hold(ownerKey: string, a: HeldAuthorization, ttlSeconds: number): Promise<number>;
  peek(ownerKey: string): Promise<HeldAuthorization | null>;
  status(ownerKey: string): Promise<AuthorizationStatus>;
  /** the order's authorization, or the patient's held one moved to the order if it fits (`familyPay`: what the order needs), in one step */
  takeForOrder(ownerKey: string, orderNo: string, familyPay: boolean): Promise<TakenAuthorization>;
  /** the order's authorization is spent or expired */
  dropOrder(ownerKey: string, orderNo: string): Promise<void>;
}

/**
 * What the patient established in the insurance steps (C7–C10), kept per owner so that the next
 * visit does not start from zero. The identity is sealed (security/pii.ts); only masked copies
 * are readable.
 */
export interface PatientProfile {
  identitySealed: string;
  nameMasked: string;
  idNoMasked: string;
  regionCode: string;
  regionName: string;
  insured: boolean;
  psnNo?: string;
  benefits: HisBenefit[];
  chosen?: HisBenefit;
  hisPatientId?: string;
  updatedAt: string;
}

/** The patients' profiles (sessions/profile.ts). */
export interface PatientProfiles {
  get(ownerKey: string): Promise<PatientProfile | null>;
  put(ownerKey: string, p: PatientProfile): Promise<void>;
}

/** A patient's family member (就诊人): name and ID number sealed, masked copies and a keyed hash readable. */
export interface FamilyMember extends SealedPerson {
  /** opaque, random; the only thing a URL carries */
  memberId: string;
  relation: string;
  psnNo?: string;
  insutype?: string;
  benefitName?: string;
  hisPatientId?: string;
  createdAt: string;
}

export type AddOutcome = 'added' | 'duplicate' | 'limit';

/** Each patient's family members (sessions/family.ts); `add` checks duplicate and limit in one step. */
export interface FamilyRoster {
  list(ownerKey: string): Promise<FamilyMember[]>;
  get(ownerKey: string, memberId: string): Promise<FamilyMember | null>;
  hasIdHash(ownerKey: string, idHash: string): Promise<boolean>;
  count(ownerKey: string): Promise<number>;
  add(ownerKey: string, m: FamilyMember, max: number): Promise<AddOutcome>;
  remove(ownerKey: string, memberId: string): Promise<FamilyMember | null>;
}
