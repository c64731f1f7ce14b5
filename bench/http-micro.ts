/**
 * The BFF's HTTP layer in one process, without the noise of other processes: the real app
 * (createApp + bffExtras, against the stack's Redis) and a bare Koa app, each driven over loopback
 * by a kept-alive node:http client in the same process; CPU per request (client included, the
 * same client for every variant) as GET /healthz goes through the whole middleware chain and the
 * router. Variants drop one middleware at a time, to price each. Then the peer HTTP client
 * (peerRequest, a small JSON POST) against the bare Koa app, the same way.
 *
 *   npx tsx bench/http-micro.ts [--requests 20000]
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { startStack } from '../scripts/stack';
import { loadConfig } from '../bff/src/config';
import { wire } from '../bff/src/app/wiring';
import { createApp } from '../bff/src/http/app';
import { bffExtras } from '../bff/src/http/extras';
import { peerRequest } from '../bff/src/peers/http-client';
import { BENCH_RATE_LIMITS } from './flows';

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function get(port: number, p: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

async function drive(handler: http.RequestListener, n: number, p = '/healthz'): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const run = async (count: number) => {
    let left = count;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (left-- > 0) await get(port, p);
    }));
  };
  await run(n / 5);
  const t0 = process.cpuUsage();
  await run(n);
  const d = process.cpuUsage(t0);
  server.close();
  agent.destroy();
  return Math.round(((d.user + d.system) / n) * 10) / 10; // µs per request
}

/** µs of this process's CPU per peerRequest (client side; the bare Koa server runs here too) */
async function drivePeer(handler: http.RequestListener, n: number): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/peer/op`;
  const body = JSON.stringify({ infno: '6201', data: { a: 1, b: 'x'.repeat(300) } });
  const run = async (count: number) => {
    let left = count;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (left-- > 0) await peerRequest({ peer: 'bench', op: 'op', url, body, headers: { 'content-type': 'application/json' }, timeoutMs: 5000 });
    }));
  };
  await run(n / 5);
  const t0 = process.cpuUsage();
  await run(n);
  const d = process.cpuUsage(t0);
  server.close();
  return Math.round(((d.user + d.system) / n) * 10) / 10;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--requests');
  const n = i > 0 ? Number(process.argv[i + 1]) : 20000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-micro-'));
  const stack = await startStack({ dir, bffConfig: { validateResponses: false, rateLimits: BENCH_RATE_LIMITS }, bffEnv: { LOG_LEVEL: 'warn' } });
  try {
    process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
    const config = loadConfig({ MIP_CONFIG: path.join(dir, 'bff.config.json') });
    const deps = wire(config);
    const extras = await bffExtras(deps);
    const bare = new Koa();
    bare.use((ctx) => {
      ctx.body = { ok: true };
    });
    const out: Record<string, number> = {};
    out.bareKoa = await drive(bare.callback(), n);
    out.bff = await drive(createApp(deps, extras).callback(), n);
    out.bffNotFound = await drive(createApp(deps, extras).callback(), n, '/api/nothing');
    const mw = extras.middleware ?? [];
    out.withoutMetrics = await drive(createApp(deps, { ...extras, middleware: mw.slice(1) } /* the metrics middleware is the first (http/extras.ts) */).callback(), n);
    out.withoutAnyExtraMiddleware = await drive(createApp(deps, { ...extras, middleware: [] }).callback(), n);
    out.withoutExtraRoutes = await drive(createApp(deps, { ...extras, mount: [] }).callback(), n);
    out.peerRequestToBareKoa = await drivePeer(bare.callback(), n);
    console.log(JSON.stringify({ microsecondsPerRequest: out, requests: n, loadAvg: os.loadavg() }, null, 2));
    extras.close();
    deps.redis.disconnect();
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
