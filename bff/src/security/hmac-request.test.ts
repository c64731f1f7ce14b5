import { signRequest, verifyRequest } from './hmac-request';

const secrets = (id: string) => (id === 'his-1' ? 'a-long-enough-secret' : undefined);

describe('HMAC request signing', () => {
  it('verifies a request signed with the same secret', () => {
    const h = signRequest('his-1', 'a-long-enough-secret', 'POST', '/his/v1/messages', '{"a":1}');
    expect(verifyRequest({ ...h }, 'POST', '/his/v1/messages', '{"a":1}', secrets, 60_000)).toMatchObject({ ok: true, clientId: 'his-1' });
  });

  it('refuses a changed body', () => {
    const h = signRequest('his-1', 'a-long-enough-secret', 'POST', '/p', '{"a":1}');
    expect(verifyRequest({ ...h }, 'POST', '/p', '{"a":2}', secrets, 60_000)).toEqual({ ok: false, failure: 'bad_signature' });
  });

  it('refuses a request outside the clock window', () => {
    const h = signRequest('his-1', 'a-long-enough-secret', 'GET', '/p', '', Date.now() - 120_000);
    expect(verifyRequest({ ...h }, 'GET', '/p', '', secrets, 60_000)).toEqual({ ok: false, failure: 'stale' });
  });

  it('refuses an unknown client and missing headers', () => {
    const h = signRequest('other', 'a-long-enough-secret', 'GET', '/p');
    expect(verifyRequest({ ...h }, 'GET', '/p', '', secrets, 60_000)).toEqual({ ok: false, failure: 'unknown_client' });
    expect(verifyRequest({}, 'GET', '/p', '', secrets, 60_000)).toEqual({ ok: false, failure: 'missing' });
  });
});
