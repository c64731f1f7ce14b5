import type { Deps } from '../flows/deps';
import type { Keys } from '../store/keys';
import type { OrderWaiters } from '../store/order-waiters';
import type { RedisClient } from '../store/redis';

/** What the composition root hands the HTTP layer, staff console and operations: the flows' Deps and the Redis client itself. */
export interface AppDeps extends Deps {
  redis: RedisClient;
  keys: Keys;
  /** the process's waiter registry (flows see it as an OrderWatcher); closed on shutdown */
  waiters: OrderWaiters;
}
