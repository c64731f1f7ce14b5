import fs from 'node:fs';
import http from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import { FaultBook, type FaultRule, sleep } from './faults';

export interface SandboxApp {
  app: Koa;
  router: Router;
  faults: FaultBook;
}

/**
 * A sandbox peer: a Koa app with /healthz and the fault-control API under /sandbox/faults.
 * Control routes listen on the same loopback port; a real deployment never starts these servers.
 */
export function createSandboxApp(name: string): SandboxApp {
  const app = new Koa();
  const router = new Router();
  const faults = new FaultBook();
  app.proxy = true;
  app.on('error', (err: Error & { expose?: boolean }) => {
    if (!err.expose) process.stderr.write(`[${name}] ${err.stack ?? err.message}\n`);
  });
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true, name };
  });
  router.get('/sandbox/faults', (ctx) => {
    ctx.body = { rules: faults.list(), fired: faults.fired.slice(-200), counts: faults.counts };
  });
  router.post('/sandbox/faults', async (ctx) => {
    const body = (await readJson(ctx.req)) as { rules?: FaultRule[] } | FaultRule;
    const rules = 'rules' in body && Array.isArray(body.rules) ? body.rules : [body as FaultRule];
    ctx.body = { ids: rules.map((r) => faults.add(r)) };
  });
  router.delete('/sandbox/faults', (ctx) => {
    faults.clear();
    ctx.body = { ok: true };
  });
  return { app, router, faults };
}

export async function readJson(req: http.IncomingMessage, limit = 1024 * 1024): Promise<unknown> {
  const raw = await readRaw(req, limit);
  return raw.length ? JSON.parse(raw.toString('utf8')) : {};
}

export async function readRaw(req: http.IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413, expose: true });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Holds the request open until the client gives up (a peer that never answers). */
export async function hang(ctx: Koa.Context): Promise<void> {
  await new Promise<void>((resolve) => {
    ctx.req.once('close', () => resolve());
    setTimeout(resolve, 120_000).unref();
  });
  ctx.respond = false;
}

/** Closes the connection without answering. */
export function drop(ctx: Koa.Context): void {
  ctx.respond = false;
  ctx.req.socket.destroy();
}

export { sleep };

/** Starts the server and prints one JSON line the process launcher waits for. */
export async function listen(app: Koa, name: string, port: number, host = '127.0.0.1'): Promise<http.Server> {
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  process.stdout.write(JSON.stringify({ event: 'listening', name, port: actual }) + '\n');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

/**
 * The body of a sandbox's main.ts: reads the JSON at SANDBOX_CONFIG (written by its stack.ts),
 * builds the sandbox, listens on PORT (0 = any) and closes it with the server; exits 1 on failure.
 */
export function runSandbox(name: string, create: (config: unknown) => { app: Koa; close(): void }): void {
  const start = async () => {
    const file = process.env.SANDBOX_CONFIG;
    if (!file) throw new Error('SANDBOX_CONFIG is not set');
    const sandbox = create(JSON.parse(fs.readFileSync(file, 'utf8')));
    const server = await listen(sandbox.app, name, Number(process.env.PORT ?? 0));
    server.on('close', () => sandbox.close());
  };
  start().catch((err: Error) => {
    process.stderr.write(`${name} sandbox: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
