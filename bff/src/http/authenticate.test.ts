import type { Context } from 'koa';
import type { SecurityConfig } from '../config/security';
import type { PatientSession } from '../sessions/patient-sessions';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { DomainError } from '../domain/errors';
import { signRequest } from '../security/hmac-request';
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

describe('signed HIS requests and their nonces', () => {
  const his = { clientId: 'his-1', secret: 'his-secret-of-at-least-some-length' };
  const body = Buffer.from('{"eventId":"EVT-1"}');

  function setup() {
    const stored = new Set<string>();
    // the nonce store: SET key 1 PX ms NX answers OK only for a key not stored yet
    const redis = { set: async (key: string) => (stored.has(key) ? null : (stored.add(key), 'OK')) } as unknown as RedisClient;
    const keys = { seen: (scope: string, id: string) => `${scope}:${id}` } as unknown as Keys;
    const security = { hisClients: [{ clientId: his.clientId, secret: his.secret }], kioskDevices: [], maxSkewMs: 300_000 } as unknown as SecurityConfig;
    const authenticate = createAuthenticator({ sessions: fakeSessions() as never, security, redis, keys });
    const headers = signRequest(his.clientId, his.secret, 'POST', '/his/v1/messages', body);
    const ctx = () => ({ state: { rawBody: body }, headers: { ...headers }, method: 'POST', originalUrl: '/his/v1/messages', get: () => '' }) as unknown as Context;
    return { stored, authenticate, ctx };
  }

  it('refuses the same signed request a second time as REPLAYED', async () => {
    const { authenticate, ctx } = setup();
    expect(await authenticate(ctx(), 'his')).toEqual({ kind: 'his', clientId: his.clientId });
    await expect(authenticate(ctx(), 'his')).rejects.toMatchObject({ code: 'REPLAYED' });
  });

  it('stores no nonce for a route whose handler answers replays itself, and still checks the signature', async () => {
    const { stored, authenticate, ctx } = setup();
    expect(await authenticate(ctx(), 'his', { rememberNonce: false })).toEqual({ kind: 'his', clientId: his.clientId });
    expect(await authenticate(ctx(), 'his', { rememberNonce: false })).toEqual({ kind: 'his', clientId: his.clientId });
    expect(stored.size).toBe(0);
    const forged = ctx();
    (forged.headers as Record<string, string>)['x-signature'] = Buffer.alloc(32).toString('base64');
    await expect(authenticate(forged, 'his', { rememberNonce: false })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});
