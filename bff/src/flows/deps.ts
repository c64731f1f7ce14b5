import type { Config } from '../config';
import type { ChannelName, ChannelPort } from '../channels/port';
import type { HisPort } from '../his/port';
import type { InsuranceCentre } from '../national/port';
import type { Logger } from '../obs/log';
import type { PiiCipher } from '../security/pii';
import type { PayAuthVault } from '../sessions/pay-auth-vault';
import type { Profiles } from '../sessions/profile';
import type { FamilyMembers } from '../sessions/family';
import type { PatientSessions } from '../sessions/patient-sessions';
import type { OrderStore } from '../store/order-store';
import type { JobQueue } from '../store/queue';
import type { OrderWaiters } from '../store/order-waiters';
import type { RedisClient } from '../store/redis';
import type { Keys } from '../store/keys';
import type { SettlementPolicy } from '../domain/settlement';

/** Everything a flow may use. Built once in the composition root (app/wiring.ts). */
export interface Deps {
  config: Config;
  log: Logger;
  redis: RedisClient;
  keys: Keys;
  orders: OrderStore;
  queue: JobQueue;
  his: HisPort;
  /** the local mobile-payment centre (6201/6202/6203/6301/6401, 6302 in) */
  centre: InsuranceCentre;
  channels: Record<ChannelName, ChannelPort>;
  pii: PiiCipher;
  vault: PayAuthVault;
  profiles: Profiles;
  family: FamilyMembers;
  sessions: PatientSessions;
  /** status requests waiting for an order's state to change (one subscriber per process) */
  waiters: OrderWaiters;
  now: () => Date;
}

export function settlementPolicy(c: Config): SettlementPolicy {
  return {
    settledOrdStas: c.national.settledOrdStas,
    pollBaseMs: c.national.pollBaseMs,
    pollMaxMs: c.national.pollMaxMs,
    pollMaxAttempts: c.national.pollMaxAttempts,
    writeBackDeadlineMs: c.his.writeBack.deadlineMs,
  };
}
