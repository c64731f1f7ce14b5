/**
 * The sandbox HIS's request signing (sandbox/his/hmac.ts, written again with node:crypto) and the BFF's
 * (bff/src/security/hmac-request.ts) are two implementations of one wire format: each verifies the other.
 */
import * as bff from '../../../bff/src/security/hmac-request';
import * as sandbox from '../../../sandbox/his/hmac';

const secrets = (id: string) => (id === 'bff-1' ? 'a-long-enough-shared-secret' : undefined);
const callers = { secretOf: secrets, maxSkewMs: 60_000 };
const body = '{"orderNo":"O1","amountFen":1234,"name":"张三"}';

describe('HIS request signing, BFF and sandbox HIS', () => {
  it('the sandbox HIS accepts what the BFF signs', () => {
    const h = bff.signRequest('bff-1', 'a-long-enough-shared-secret', 'post', '/api/bills?patient=P1', body);
    expect(sandbox.verifyRequest({ headers: { ...h }, method: 'POST', target: '/api/bills?patient=P1', body: Buffer.from(body) }, callers)).toMatchObject({ ok: true, clientId: 'bff-1' });
  });

  it('the BFF accepts what the sandbox HIS signs (a push)', () => {
    const h = sandbox.signRequest('bff-1', 'a-long-enough-shared-secret', 'POST', '/his/v1/messages', body);
    expect(bff.verifyRequest({ ...h }, 'POST', '/his/v1/messages', body, secrets, 60_000)).toMatchObject({ ok: true, clientId: 'bff-1' });
  });

  it('each refuses the other when path, body or secret differ', () => {
    const h = bff.signRequest('bff-1', 'a-long-enough-shared-secret', 'POST', '/api/bills', body);
    expect(sandbox.verifyRequest({ headers: { ...h }, method: 'POST', target: '/api/bills?x=1', body }, callers)).toEqual({ ok: false, failure: 'bad_signature' });
    expect(sandbox.verifyRequest({ headers: { ...h }, method: 'POST', target: '/api/bills', body: body + ' ' }, callers)).toEqual({ ok: false, failure: 'bad_signature' });
    const s = sandbox.signRequest('bff-1', 'another-secret', 'POST', '/api/bills', body);
    expect(bff.verifyRequest({ ...s }, 'POST', '/api/bills', body, secrets, 60_000)).toEqual({ ok: false, failure: 'bad_signature' });
  });

  it('the sandbox HIS refuses a stale timestamp, a missing header and an unknown client', () => {
    const old = bff.signRequest('bff-1', 'a-long-enough-shared-secret', 'GET', '/api/regions', '', Date.now() - 120_000);
    expect(sandbox.verifyRequest({ headers: { ...old }, method: 'GET', target: '/api/regions', body: '' }, callers)).toEqual({ ok: false, failure: 'stale' });
    const { 'x-nonce': _n, ...noNonce } = bff.signRequest('bff-1', 'a-long-enough-shared-secret', 'GET', '/api/regions');
    expect(sandbox.verifyRequest({ headers: noNonce, method: 'GET', target: '/api/regions', body: '' }, callers)).toEqual({ ok: false, failure: 'missing' });
    const stranger = bff.signRequest('other', 'a-long-enough-shared-secret', 'GET', '/api/regions');
    expect(sandbox.verifyRequest({ headers: { ...stranger }, method: 'GET', target: '/api/regions', body: '' }, callers)).toEqual({ ok: false, failure: 'unknown_client' });
  });
});
