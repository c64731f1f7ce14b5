import type { Config } from '../config';
import type { AppDeps } from './deps';
import { createLogger } from '../obs/log';
import { Keys } from '../store/keys';
import { connectRedis, duplicateClient, type RedisClient } from '../store/redis';
import { OrderWaiters, orderEventsChannel } from '../store/order-waiters';
import { Subscriber } from '../store/subscriber';
import { SharedCache, invalidationChannel } from '../store/shared-cache';
import { OrderStore } from '../store/order-store';
import { JobQueue } from '../store/queue';
import { RedisIdempotencyClaims, RedisLocks, RedisMessageRecords, RedisPayParams, RedisRefundDayIndex } from '../store/named-stores';
import { RedisKioskVisitStore } from '../store/kiosk-visit-store';
import { NationalClient } from '../national/client';
import { NationalCentre } from '../national/centre';
import { PiiCipher } from '../security/pii';
import { PayAuthVault } from '../sessions/pay-auth-vault';
import { Profiles } from '../sessions/profile';
import { FamilyMembers } from '../sessions/family';
import { PatientSessions, type PatientSession } from '../sessions/patient-sessions';
import { createHttpHis } from '../his/http-adapter';
import { createWechatChannel } from '../channels/wechat';
import { createAlipayChannel } from '../channels/alipay';
import { RedisTokenCache } from '../channels/token-cache';
import { createCashierChannel } from '../channels/cashier';

/**
 * The process's one subscriber connection (order events, cache invalidations; it ends with the
 * process's Redis client), the patients' sessions, kept in memory for `security.sessionCacheMs` and
 * dropped in every process when revoked (store/shared-cache.ts), and their profiles.
 */
export function patientState(redis: RedisClient, keys: Keys, security: Pick<Config['security'], 'patientSessionTtlSeconds' | 'sessionCacheMs'>, now: () => Date) {
  const subscriber = new Subscriber(() => duplicateClient(redis));
  redis.once('end', () => subscriber.close());
  const sessionCache = new SharedCache<PatientSession>(redis, subscriber, invalidationChannel(keys, 'sessions'), { ttlMs: security.sessionCacheMs, now: () => now().getTime() });
  return {
    subscriber,
    sessions: new PatientSessions(redis, keys, security.patientSessionTtlSeconds, now, sessionCache),
    profiles: new Profiles(redis, keys), // read anew every time (sessions/profile.ts)
  };
}

/** The composition root: the only place that knows which adapter serves which port. */
export function wire(config: Config, opts: { redis?: RedisClient } = {}): AppDeps {
  const log = createLogger('bff');
  const redis = opts.redis ?? connectRedis(config.redis.url, { onError: (err) => log.warn({ err: err.message }, 'Redis connection error: commands wait and retry') });
  const keys = new Keys(config.redis.keyPrefix);
  const tokens = new RedisTokenCache(redis, keys);
  /** the one clock every flow, session and deadline reads */
  const now = () => new Date();
  const { subscriber, sessions, profiles } = patientState(redis, keys, config.security, now);
  const orders = new OrderStore(redis, keys);
  const national = new NationalClient(config.national);
  const pii = new PiiCipher(config.security.piiKey);
  // what the cashier's query (6301) needs of an order: its payToken and the patient
  const cashierLookup = async (outTradeNo: string) => {
    const orderNo = await orders.byRef('cashier-out', outTradeNo);
    const o = orderNo ? await orders.get(orderNo) : null;
    return o?.national ? { payOrdId: o.national.payOrdId, payToken: o.national.payToken, identity: pii.open(o.piiSealed) } : null;
  };
  return {
    config,
    log,
    redis,
    keys,
    orders,
    queue: new JobQueue(redis, keys),
    his: createHttpHis(config.his),
    centre: new NationalCentre(national, config.national),
    channels: {
      wechat: createWechatChannel(config.channels.wechat, tokens),
      alipay: createAlipayChannel(config.channels.alipay),
      cashier: createCashierChannel(config, national, cashierLookup),
    },
    pii,
    vault: new PayAuthVault(redis, keys, config.security.payAuthMaxTtlSeconds),
    profiles,
    family: new FamilyMembers(redis, keys),
    sessions,
    waiters: new OrderWaiters(subscriber, orderEventsChannel(keys)),
    now,
    idempotency: new RedisIdempotencyClaims(redis, keys),
    payParams: new RedisPayParams(redis, keys, now),
    messages: new RedisMessageRecords(redis, keys),
    locks: new RedisLocks(redis, keys),
    refundDays: new RedisRefundDayIndex(redis, keys),
    kioskVisits: new RedisKioskVisitStore(redis, keys),
  };
}
