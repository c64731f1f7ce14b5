import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { DomainError } from '../domain/errors';
import { createLogger } from '../obs/log';
import { errorsMiddleware } from './errors-middleware';

/** A Koa app wired like app.ts: errors middleware first, then the router and allowedMethods. */
async function serve(): Promise<{ url: string; close: () => void }> {
  const app = new Koa();
  const router = new Router();
  router.get('/api/orders/:orderNo', (ctx) => void (ctx.body = { orderNo: ctx.params.orderNo }));
  router.get('/api/refused', () => {
    throw new DomainError('ORDER_STATE_CONFLICT', '订单已支付或正在支付，不能取消', { reason: 'stale' });
  });
  router.get('/api/unconfirmed', () => {
    throw new DomainError('CANCEL_UNCONFIRMED');
  });
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

describe('domain errors thrown below the HTTP layer', () => {
  it('answer with the status the contract gives their code, the code, the thrower’s message and details', async () => {
    const s = await serve();
    try {
      const res = await fetch(`${s.url}/api/refused`);
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { code: string; message: string; details: unknown; requestId: string } };
      expect([body.error.code, body.error.message, body.error.details]).toEqual(['ORDER_STATE_CONFLICT', '订单已支付或正在支付，不能取消', { reason: 'stale' }]);
      expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    } finally {
      s.close();
    }
  });

  it('answer with the contract’s own message when the thrower gave none', async () => {
    const s = await serve();
    try {
      const res = await fetch(`${s.url}/api/unconfirmed`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe('退号结果暂未确认，钱还没有退回。请稍后在订单里再点一次「退号」查看结果');
    } finally {
      s.close();
    }
  });
});
