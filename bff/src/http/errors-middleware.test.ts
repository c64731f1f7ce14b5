import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { createLogger } from '../obs/log';
import { errorsMiddleware } from './errors-middleware';

/** A Koa app wired like app.ts: errors middleware first, then the router and allowedMethods. */
async function serve(): Promise<{ url: string; close: () => void }> {
  const app = new Koa();
  const router = new Router();
  router.get('/api/orders/:orderNo', (ctx) => void (ctx.body = { orderNo: ctx.params.orderNo }));
  app.use(errorsMiddleware(createLogger('test', 'silent')));
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('the router’s own refusals', () => {
  it('answers another method on an existing path with 405 METHOD_NOT_ALLOWED in the API’s error format', async () => {
    const s = await serve();
    try {
      const res = await fetch(`${s.url}/api/orders/pay`, { method: 'POST' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toContain('GET');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    } finally {
      s.close();
    }
  });

  it('answers a method the router does not know with 405, never a 5xx', async () => {
    const s = await serve();
    try {
      const res = await fetch(`${s.url}/api/orders/X`, { method: 'PROPFIND' });
      expect(res.status).toBe(405);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    } finally {
      s.close();
    }
  });
});
