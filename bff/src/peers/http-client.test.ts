import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PeerError, peerRequest } from './http-client';

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/small') return void res.end('{"ok":true}');
    if (req.url?.startsWith('/headers')) {
      res.setHeader('Wechatpay-Serial', 'S1');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      return void res.end(req.url);
    }
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(4 * 1024 * 1024) });
      return void res.write(Buffer.alloc(1024));
    }
    // chunked, without a declared length, and without end
    res.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(chunk)), 1);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

const call = (path: string) => peerRequest({ peer: 'test', op: path, url: `${base}${path}`, method: 'GET', timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });

it('reads an answer within the size cap', async () => {
  expect((await call('/small')).text()).toBe('{"ok":true}');
});

it('reads the answer headers by name in any case, repeated ones joined as fetch does', async () => {
  const res = await call('/headers');
  expect(res.headers.get('wechatpay-serial')).toBe('S1');
  expect(res.headers.get('WECHATPAY-SERIAL')).toBe('S1');
  expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
  expect(res.headers.get('wechatpay-nonce')).toBeNull();
});

it('sends the path and query of the URL as given, also on a second call to the same URL', async () => {
  expect((await call('/headers?x=1&y=%E4%B8%AD')).text()).toBe('/headers?x=1&y=%E4%B8%AD');
  expect((await call('/headers?x=1&y=%E4%B8%AD')).text()).toBe('/headers?x=1&y=%E4%B8%AD');
});

it('refuses a URL that is not http or https as never delivered', async () => {
  const err = await peerRequest({ peer: 'test', op: 'ftp', url: 'ftp://127.0.0.1/x', timeoutMs: 1000 }).catch((e: unknown) => e);
  expect(err).toMatchObject({ failure: 'not_delivered' });
});

it('cuts off an answer that declares more than the cap, as an unknown outcome', async () => {
  const err = await call('/declared').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PeerError);
  expect(err).toMatchObject({ failure: 'broken', outcomeUnknown: true });
  expect((err as Error).message).toContain('larger than 1048576 bytes');
});

it('cuts off a streamed answer once it passes the cap instead of reading on', async () => {
  const err = await call('/endless').catch((e: unknown) => e);
  expect(err).toMatchObject({ failure: 'broken' });
  expect((err as Error).message).toContain('larger than');
});
