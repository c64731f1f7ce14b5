import type { Config } from '../config';
import type { ChannelName, ChannelPort } from '../channels/port';
import type { HisPort } from '../his/port';
import type { InsuranceCentre } from '../national/port';
import type { Logger } from '../obs/log';
import type { PiiCipher } from '../security/pii';
import type { FamilyRoster, PatientProfiles, PayAuthorizations } from '../sessions/port';
import type { IdempotencyClaims, Jobs, KioskVisitStore, Locks, MessageRecords, Orders, OrderWatcher, PayParamsStore, RefundDayIndex } from '../store/port';
import type { SettlementPolicy } from '../domain/settlement';
import type { MessageRecord } from '../domain/paid-event';
import type { KioskVisitRecord } from '../kiosk/port';

/**
 * Everything flows may use, built once in the composition root (app/wiring.ts). Each flow module
 * takes only its own slice (`Pick<Deps, …>` and the config it reads): no Redis client, no keys.
 * Every store is typed by its port (store/port.ts, sessions/port.ts); AppDeps (app/deps.ts) hands
 * the outer layers the implementations themselves and the patient sessions, which no flow reads.
 */
export interface Deps {
  config: Config;
  log: Logger;
  orders: Orders;
  queue: Jobs;
  his: HisPort;
  /** the local mobile-payment centre (6201/6202/6203/6301/6401, 6302 in) */
  centre: InsuranceCentre;
  channels: Record<ChannelName, ChannelPort>;
  pii: PiiCipher;
  vault: PayAuthorizations;
  profiles: PatientProfiles;
  family: FamilyRoster;
  /** status requests waiting for an order's state to change (one subscriber per process) */
  waiters: OrderWatcher;
  now: () => Date;
  idempotency: IdempotencyClaims;
  payParams: PayParamsStore;
  messages: MessageRecords<MessageRecord>;
  locks: Locks;
  refundDays: RefundDayIndex;
  kioskVisits: KioskVisitStore<KioskVisitRecord>;
}

/** The configuration a settlement decision reads. */
export type SettlementConfig = Pick<Config, 'national' | 'his'>;

export function settlementPolicy(c: SettlementConfig): SettlementPolicy {
  return {
    settledOrdStas: c.national.settledOrdStas,
    pollBaseMs: c.national.pollBaseMs,
    pollMaxMs: c.national.pollMaxMs,
    pollMaxAttempts: c.national.pollMaxAttempts,
    writeBackDeadlineMs: c.his.writeBack.deadlineMs,
  };
}
