import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { SharedCache } from '../store/shared-cache';
import type { PatientProfile, PatientProfiles } from './port';

export type { PatientProfile };

const PROFILE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The patients' profiles. Read by most steps of a payment (authorize, create order…), written only
 * by the insurance steps (`put`): with a cache (config security.sessionCacheMs), a process answers
 * a profile it read or wrote in the last few seconds from memory, and every `put` drops it in every
 * process (store/shared-cache.ts). The cache holds the stored JSON, so no caller shares an object.
 */
export class Profiles implements PatientProfiles {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly cache?: SharedCache<string>) {}

  private key(ownerKey: string): string {
    return `${this.keys.prefix}{u:${ownerKey}}:profile`;
  }

  async get(ownerKey: string): Promise<PatientProfile | null> {
    const key = this.key(ownerKey);
    const raw = this.cache ? await this.cache.read(key, () => this.redis.get(key)) : await this.redis.get(key);
    return raw ? (JSON.parse(raw) as PatientProfile) : null;
  }

  async put(ownerKey: string, p: PatientProfile): Promise<void> {
    const key = this.key(ownerKey);
    const raw = JSON.stringify(p);
    const write = () => this.redis.set(key, raw, 'EX', PROFILE_TTL_SECONDS);
    if (this.cache) await this.cache.write(key, write, { value: raw });
    else await write();
  }
}
