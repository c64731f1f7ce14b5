/**
 * What the patient has done so far (region → status → benefit → authorization). The contract has
 * no endpoint to read this back, so the client remembers it; the BFF remains the judge and answers
 * IDENTITY_REQUIRED / AUTHORIZATION_REQUIRED when the memory is wrong (see next-step.ts).
 */
import type { Benefit, Region } from '@mip/shared/src/contract/schemas';
import * as storage from './storage';

/** An object kept in storage under `key`: read whole (empty when absent), changed by a patch. */
function storedRecord<T extends object>(key: string): { get(): T; set(patch: Partial<T>): T } {
  const get = (): T => storage.read<T>(key) ?? ({} as T);
  const set = (patch: Partial<T>): T => {
    const next = { ...get(), ...patch };
    storage.write(key, next);
    return next;
  };
  return { get, set };
}

export interface Progress {
  region?: Region;
  patient?: { nameMasked: string; idNoMasked: string };
  /** benefits returned by the last status check, for the benefit page */
  benefits?: Benefit[];
  notice?: string;
  /** the benefit registered in HIS (C9/C10 done) */
  benefit?: Benefit;
  /** epoch ms until which the e-voucher authorization is good */
  authorizedUntil?: number;
}

const progress = storedRecord<Progress>('progress');
export const getProgress = progress.get;
export const setProgress = progress.set;

/**
 * Folds GET /api/insurance/profile (what the BFF already knows about this patient) into the local
 * memory, so a returning patient on a new device skips the steps already done.
 */
export function mergeProfile(profile: {
  ready: boolean;
  region?: Region;
  patient?: { nameMasked: string; idNoMasked: string };
  benefit?: Benefit;
  authorized?: boolean;
  authorization?: { state: string; remainingSeconds?: number };
}): Progress {
  const p = getProgress();
  const patch: Partial<Progress> = {};
  if (profile.region) patch.region = profile.region;
  if (profile.patient) patch.patient = profile.patient;
  if (profile.ready && profile.benefit) patch.benefit = profile.benefit;
  if (!profile.ready && !profile.benefit) patch.benefit = undefined;
  // the BFF does not say for how long; keep our own expiry when we have one, else a short one
  const a = profile.authorization;
  if (a?.state === 'active' && typeof a.remainingSeconds === 'number') patch.authorizedUntil = Date.now() + a.remainingSeconds * 1000;
  else if (a) patch.authorizedUntil = undefined;
  else if (profile.authorized === false) patch.authorizedUntil = undefined;
  else if (profile.authorized === true && !isAuthorized(p)) patch.authorizedUntil = Date.now() + 5 * 60 * 1000;
  return setProgress(patch);
}

export function isVerified(p: Progress = getProgress()): boolean {
  return !!p.benefit;
}

export function isAuthorized(p: Progress = getProgress(), now = Date.now()): boolean {
  return typeof p.authorizedUntil === 'number' && p.authorizedUntil > now;
}

/** Where to return after the e-voucher authorization, persisted before jumping out. */
export interface PendingAuth {
  returnTo?: string;
  at: number;
}

const PENDING_TTL_MS = 10 * 60 * 1000;

export function setPendingAuth(returnTo: string | undefined): void {
  storage.write('pendingAuth', { returnTo, at: Date.now() } satisfies PendingAuth);
}

export function getPendingAuth(now = Date.now()): PendingAuth | undefined {
  const p = storage.read<PendingAuth>('pendingAuth');
  if (!p || typeof p.at !== 'number' || now - p.at > PENDING_TTL_MS) return undefined;
  return p;
}

export function clearPendingAuth(): void {
  storage.remove('pendingAuth');
}

/** The registration the patient is booking (department → doctor → slot), for the confirm page. */
export interface Selection {
  dept?: { code: string; name: string; location?: string };
  doctor?: { code: string; name: string; title: string };
  slot?: { slotId: string; date: string; period: string; startTime: string; endTime: string; feeFen: number };
  /** the family member the booking is for (就诊人); absent: oneself */
  memberId?: string;
}

const selection = storedRecord<Selection>('selection');
export const getSelection = selection.get;
export const setSelection = selection.set;
