import type { Deps } from '../flows/deps';
import type { Keys } from '../store/keys';
import type { OrderWaiters } from '../store/order-waiters';
import type { RedisClient } from '../store/redis';
import type { OrderStore } from '../store/order-store';
import type { JobQueue } from '../store/queue';
import type { PatientSessions } from '../sessions/patient-sessions';
import type { PayAuthVault } from '../sessions/pay-auth-vault';
import type { Profiles } from '../sessions/profile';
import type { FamilyMembers } from '../sessions/family';

/**
 * What the composition root hands the HTTP layer, staff console and operations: the flows' Deps with
 * the stores as their implementations (the outer layers read more than a flow's port offers, e.g. an
 * order's peer calls or the queue's depth), the patient sessions and the Redis client itself.
 */
export interface AppDeps extends Deps {
  redis: RedisClient;
  keys: Keys;
  orders: OrderStore;
  queue: JobQueue;
  vault: PayAuthVault;
  profiles: Profiles;
  family: FamilyMembers;
  sessions: PatientSessions;
  /** the process's waiter registry (flows see it as an OrderWatcher); closed on shutdown */
  waiters: OrderWaiters;
}
