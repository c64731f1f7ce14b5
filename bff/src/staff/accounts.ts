import crypto from 'node:crypto';
import { STAFF_ROLES, type StaffRole } from './contract';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords';

export interface StaffAccount {
  staffId: string;
  username: string;
  roles: StaffRole[];
  passwordHash: string;
  createdAt: string;
  disabled?: boolean;
}

export class StaffAccountError extends Error {}

const USERNAME = /^[a-z0-9][a-z0-9_.-]{1,31}$/;

export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isStaffRole(v: string): v is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(v);
}

/**
 * Staff accounts in Redis. All keys share the `{staff}` hash tag so that, on Redis Cluster, the
 * account and the account list can be written in one MULTI.
 */
export class StaffAccounts {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private key(username: string): string {
    return `${this.keys.prefix}{staff}:account:${username}`;
  }
  private get listKey(): string {
    return `${this.keys.prefix}{staff}:accounts`;
  }

  async get(username: string): Promise<StaffAccount | null> {
    const raw = await this.redis.get(this.key(normalizeUsername(username)));
    return raw ? (JSON.parse(raw) as StaffAccount) : null;
  }

  async count(): Promise<number> {
    return this.redis.scard(this.listKey);
  }

  /** Creates an account; refuses a name that exists (SET NX, so two processes cannot both create it). */
  async create(input: { username: string; password: string; roles: string[] }): Promise<StaffAccount> {
    const username = normalizeUsername(input.username);
    if (!USERNAME.test(username)) throw new StaffAccountError('username: 2–32 characters a-z 0-9 _ . -');
    if (input.password.length < 10) throw new StaffAccountError('password: at least 10 characters');
    const roles = [...new Set(input.roles)];
    if (!roles.length || !roles.every(isStaffRole)) throw new StaffAccountError(`roles: one or more of ${STAFF_ROLES.join(', ')}`);
    const account: StaffAccount = {
      staffId: `staff-${crypto.randomUUID().slice(0, 8)}`,
      username,
      roles: roles as StaffRole[],
      passwordHash: await hashPassword(input.password),
      createdAt: new Date().toISOString(),
    };
    const [[, set]] = (await this.redis.multi().set(this.key(username), JSON.stringify(account), 'NX').sadd(this.listKey, username).exec()) as [[Error | null, string | null]];
    if (set !== 'OK') throw new StaffAccountError(`staff account ${username} already exists`);
    return account;
  }

  /** The configured first account, created only while no account exists at all. */
  async bootstrap(first: { username: string; password: string; roles: string[] } | undefined): Promise<'created' | 'exists' | 'none'> {
    if (!first) return 'none';
    if ((await this.count()) > 0) return 'exists';
    try {
      await this.create(first);
      return 'created';
    } catch (err) {
      if (err instanceof StaffAccountError && /already exists/.test(err.message)) return 'exists';
      throw err;
    }
  }

  /** The account when the password matches; null otherwise, taking the same time either way. */
  async authenticate(username: string, password: string): Promise<StaffAccount | null> {
    const account = await this.get(username);
    if (!account || account.disabled) return verifyAgainstNothing(password).then(() => null);
    return (await verifyPassword(password, account.passwordHash)) ? account : null;
  }
}
