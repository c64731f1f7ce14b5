/**
 * The bare Koa "hello" server the benches compare the BFF with: one route, { ok: true }, started
 * as its own process like the BFFs (scripts/stack/service.ts runs this file), and the loop that
 * drives it with the benches' own HTTP client.
 */
import Koa from 'koa';
import { BenchClient, percentile, type Timed } from './client';

export const HELLO_ENTRY = 'bench/hello.ts';

function helloServer(): void {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const port = Number(process.env.PORT);
  app.listen(port, '127.0.0.1', () => process.stdout.write(JSON.stringify({ event: 'listening', name: 'hello', port }) + '\n'));
}

/** `concurrency` loops asking GET `path` (/hello) for `seconds`, with the client the flow benches use. */
export async function measureHello(base: string, concurrency: number, seconds: number, path = '/hello'): Promise<{ requests: number; errors: number; perSecond: number; p50: number; p99: number }> {
  const log: Timed[] = [];
  const c = new BenchClient(base, log);
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) await c.raw('hello', 'GET', path).catch(() => undefined);
  }));
  const ms = log.map((t) => t.ms);
  return { requests: log.length, errors: log.filter((t) => !t.ok).length, perSecond: Math.round(log.length / ((Date.now() - started) / 1000)), p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

if (require.main === module) helloServer();
