import type { Context } from 'koa';
import type { Auth } from '@mip/shared';
import type { SecurityConfig } from '../config/security';
import { verifyRequest } from '../security/hmac-request';
import type { PatientSession, PatientSessions } from '../sessions/patient-sessions';
import type { Keys } from '../store/keys';
import type { RedisClient } from '../store/redis';
import { DomainError } from '../domain/errors';
import { readRawBody } from './body';
import type { Authenticator } from './route';
import type { Principal } from './principal';

/**
 * The patient session of this request's bearer token, looked up once per request: the rate
 * limiter (before the router) and the route's authentication ask for it on the same request.
 */
export function patientSessionOf(ctx: Context, sessions: Pick<PatientSessions, 'resolve'>): Promise<PatientSession | null> {
  const state = ctx.state as { patientSession?: Promise<PatientSession | null> };
  if (!state.patientSession) {
    const m = /^Bearer (.+)$/.exec(ctx.get('authorization'));
    state.patientSession = m ? sessions.resolve(m[1]) : Promise.resolve(null);
  }
  return state.patientSession;
}

export interface StaffResolver {
  (ctx: Context): Promise<Principal | null>;
}

/**
 * One authenticator for every kind of caller. Patients: BFF session bearer token. HIS and
 * kiosks: HMAC-signed requests (hmac-request.ts) with nonces remembered for the clock window,
 * so a captured request cannot be replayed. Staff: resolved by the staff module.
 */
export function createAuthenticator(deps: {
  sessions: PatientSessions;
  security: SecurityConfig;
  redis: RedisClient;
  keys: Keys;
  staff?: StaffResolver;
}): Authenticator {
  const his = new Map(deps.security.hisClients.map((c) => [c.clientId, c.secret]));
  const kiosks = new Map(deps.security.kioskDevices.map((c) => [c.deviceId, c.secret]));

  async function signed(ctx: Context, secrets: Map<string, string>, scope: string, rememberNonce: boolean): Promise<string> {
    const raw = await readRawBody(ctx, 256 * 1024);
    const v = verifyRequest(ctx.headers, ctx.method, ctx.originalUrl, raw, (id) => secrets.get(id), deps.security.maxSkewMs);
    if (!v.ok) throw new DomainError(v.failure === 'missing' ? 'UNAUTHENTICATED' : 'SIGNATURE_INVALID');
    if (!rememberNonce) return v.clientId;
    const fresh = await deps.redis.set(deps.keys.seen(`nonce-${scope}`, `${v.clientId}:${v.nonce}`), '1', 'PX', deps.security.maxSkewMs * 2, 'NX');
    if (fresh !== 'OK') throw new DomainError('REPLAYED');
    return v.clientId;
  }

  return async (ctx: Context, kind: Exclude<Auth, 'none'>, how = { rememberNonce: true }): Promise<Principal> => {
    switch (kind) {
      case 'patient': {
        const s = await patientSessionOf(ctx, deps.sessions);
        if (!s) throw new DomainError('UNAUTHENTICATED');
        return { kind: 'patient', sessionId: s.sessionId, patientKey: s.ownerKey, channel: s.channel, openId: s.openId };
      }
      case 'his':
        return { kind: 'his', clientId: await signed(ctx, his, 'his', how.rememberNonce) };
      case 'kiosk':
        return { kind: 'kiosk', deviceId: await signed(ctx, kiosks, 'kiosk', how.rememberNonce) };
      case 'staff': {
        const p = deps.staff ? await deps.staff(ctx) : null;
        if (!p) throw new DomainError('UNAUTHENTICATED', '请先登录');
        return p;
      }
    }
  };
}
