import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import type { AddOutcome, FamilyMember, FamilyRoster } from './port';

export type { AddOutcome, FamilyMember };

/** KEYS: members hash, id-hash index; ARGV: memberId, idHash, json, max, ttl */
const ADD = `
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'duplicate' end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 'limit' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 'added'`;

/** KEYS: members hash, id-hash index; ARGV: memberId. Answers the removed record or false. */
const REMOVE = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return false end
local m = cjson.decode(v)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], m.idHash)
return v`;

const FAMILY_TTL_SECONDS = 365 * 24 * 3600;

/**
 * A patient's family members (就诊人), kept per owner like the profile. Name and ID number are
 * sealed (security/pii.ts); only masked copies and a keyed hash (for refusing duplicates) are
 * readable. Both keys carry the owner's hash tag, so the add step is one Lua script on Cluster too.
 */
export class FamilyMembers implements FamilyRoster {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private membersKey(ownerKey: string): string {
    return `${this.keys.prefix}{u:${ownerKey}}:family`;
  }
  private indexKey(ownerKey: string): string {
    return `${this.keys.prefix}{u:${ownerKey}}:family-ids`;
  }

  async list(ownerKey: string): Promise<FamilyMember[]> {
    const all = await this.redis.hgetall(this.membersKey(ownerKey));
    return Object.values(all)
      .map((v) => JSON.parse(v) as FamilyMember)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(ownerKey: string, memberId: string): Promise<FamilyMember | null> {
    const raw = await this.redis.hget(this.membersKey(ownerKey), memberId);
    return raw ? (JSON.parse(raw) as FamilyMember) : null;
  }

  async hasIdHash(ownerKey: string, idHash: string): Promise<boolean> {
    return (await this.redis.hexists(this.indexKey(ownerKey), idHash)) === 1;
  }

  async count(ownerKey: string): Promise<number> {
    return this.redis.hlen(this.membersKey(ownerKey));
  }

  /** Atomic: refuses a second member with the same ID number and more than `max` members. */
  async add(ownerKey: string, m: FamilyMember, max: number): Promise<AddOutcome> {
    const r = await this.redis.eval(ADD, 2, this.membersKey(ownerKey), this.indexKey(ownerKey), m.memberId, m.idHash, JSON.stringify(m), max, FAMILY_TTL_SECONDS);
    return r as AddOutcome;
  }

  async remove(ownerKey: string, memberId: string): Promise<FamilyMember | null> {
    const r = await this.redis.eval(REMOVE, 2, this.membersKey(ownerKey), this.indexKey(ownerKey), memberId);
    return typeof r === 'string' ? (JSON.parse(r) as FamilyMember) : null;
  }
}
