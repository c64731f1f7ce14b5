import type { Context } from 'koa';
import type { SecurityConfig } from '../config/security';
import type { PatientSession } from '../sessions/patient-sessions';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { DomainError } from '../domain/errors';
import { createAuthenticator, patientSessionOf } from './authenticate';

const session: PatientSession = { sessionId: 's1', ownerKey: 'wechat:o1', channel: 'wechat', openId: 'o1' } as PatientSession;

function fakeSessions() {
  const asked: string[] = [];
  return { asked, resolve: async (token: string) => (asked.push(token), token === 'good' ? session : null) };
}

const ctxWith = (authorization: string) => ({ state: {}, get: (h: string) => (h.toLowerCase() === 'authorization' ? authorization : '') }) as unknown as Context;

it('looks a bearer token up once per request, however many parts of the request ask', async () => {
  const sessions = fakeSessions();
  const ctx = ctxWith('Bearer good');
  const authenticate = createAuthenticator({ sessions: sessions as never, security: { hisClients: [], kioskDevices: [] } as unknown as SecurityConfig, redis: {} as RedisClient, keys: {} as Keys });
  expect((await patientSessionOf(ctx, sessions))?.ownerKey).toBe('wechat:o1');
  expect(await authenticate(ctx, 'patient')).toMatchObject({ kind: 'patient', patientKey: 'wechat:o1', sessionId: 's1' });
  expect(sessions.asked).toEqual(['good']);
});

it('refuses a request without a bearer token without looking anything up', async () => {
  const sessions = fakeSessions();
  const authenticate = createAuthenticator({ sessions: sessions as never, security: { hisClients: [], kioskDevices: [] } as unknown as SecurityConfig, redis: {} as RedisClient, keys: {} as Keys });
  const err = await authenticate(ctxWith('Basic x'), 'patient').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect(err).toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(sessions.asked).toEqual([]);
});
