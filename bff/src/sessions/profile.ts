import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { PatientProfile, PatientProfiles } from './port';

export type { PatientProfile };

const PROFILE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The patients' profiles, read from Redis every time. Not kept in memory like sessions: a profile
 * changes in the steps just before a payment (identity check, benefit chosen), and the patient's
 * next request may reach another instance before that instance hears of the change through pub/sub
 * — it would answer "请先完成医保身份核验" for a benefit just chosen (seen on Redis Cluster with two
 * instances behind a proxy). A session only ever ends, where those milliseconds do not matter.
 */
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
