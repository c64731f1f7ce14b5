import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { PatientProfile, PatientProfiles } from './port';

export type { PatientProfile };

const PROFILE_TTL_SECONDS = 30 * 24 * 3600;

export class Profiles implements PatientProfiles {
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
