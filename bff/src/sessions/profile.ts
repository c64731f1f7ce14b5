import type { HisBenefit } from '../his/port';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';

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

const PROFILE_TTL_SECONDS = 30 * 24 * 3600;

export class Profiles {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private key(ownerKey: string): string {
    return `${this.keys.prefix}{u:${ownerKey}}:profile`;
  }

  async get(ownerKey: string): Promise<PatientProfile | null> {
    const raw = await this.redis.get(this.key(ownerKey));
    return raw ? (JSON.parse(raw) as PatientProfile) : null;
  }

  async put(ownerKey: string, p: PatientProfile): Promise<void> {
    await this.redis.set(this.key(ownerKey), JSON.stringify(p), 'EX', PROFILE_TTL_SECONDS);
  }
}
