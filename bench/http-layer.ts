/**
 * The BFF's HTTP layer alone, per request, beside a bare Koa "hello" server driven by the same
 * client: GET /healthz (every middleware and the router, no Redis) and an unauthenticated
 * GET /api/orders/:orderNo (the same, plus the error mapping of a 401). CPU from /proc.
 *
 *   npx tsx bench/http-layer.ts [--concurrency 50] [--seconds 8]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../scripts/stack';
import { BENCH_RATE_LIMITS } from './flows';
import { bareKoaCost, cpuMsPer, procCpu } from './flow-report';
import { measureHello } from './hello';

export async function benchHttpLayer(concurrency = 50, seconds = 8): Promise<object> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-http-'));
  const stack = await startStack({ dir, bffConfig: { validateResponses: false, rateLimits: BENCH_RATE_LIMITS }, bffEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...(process.env.BFF_NODE_ARGS ? { MIP_NODE_ARGS: process.env.BFF_NODE_ARGS } : {}) } });
  try {
    const pid = stack.bffs[0].pid;
    const out: Record<string, unknown> = { loadAvg: os.loadavg().map((x) => Math.round(x * 10) / 10) };
    for (const p of ['/healthz', '/api/orders/M0000000000000000000']) {
      await measureHello(stack.urls.bff, concurrency, 1, p);
      const before = procCpu(pid);
      const m = await measureHello(stack.urls.bff, concurrency, seconds, p);
      out[p] = { ...m, cpuMsPerRequest: cpuMsPer(before, procCpu(pid), m.requests) };
    }
    out.bareKoa = await bareKoaCost(dir, concurrency, seconds);
    return out;
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  benchHttpLayer(arg('concurrency', 50), arg('seconds', 8))
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
