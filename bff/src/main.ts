import http from 'node:http';
import { loadConfig } from './config';
import { wire } from './app/wiring';
import { createApp } from './http/app';
import { Worker } from './store/queue';
import { jobHandlers } from './worker/handlers';
import { bffExtras } from './http/extras';
import { profileOnSignal } from './obs/cpu-profile';

/**
 * One BFF process: the HTTP API and a queue worker. Several processes share one Redis; the
 * consumer group spreads the jobs and takes over the pending ones of a process that died.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const deps = wire(config);
  profileOnSignal(process.env.MIP_CPU_PROFILE_DIR, deps.log);
  // staff console, OpenAPI document, health and metrics
  const extras = await bffExtras(deps);
  const app = createApp(deps, extras);
  const worker = new Worker(
    deps.queue,
    jobHandlers(deps),
    {
      consumer: process.env.INSTANCE_ID ?? `bff-${process.pid}`,
      concurrency: config.workerConcurrency,
      claimIdleMs: Number(process.env.WORKER_CLAIM_IDLE_MS ?? 30_000),
      retryBaseMs: 1000,
      retryMaxMs: 5 * 60_000,
      maxAttempts: 60,
    },
    deps.log,
  );
  await worker.start();
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  process.stdout.write(JSON.stringify({ event: 'listening', name: 'bff', port }) + '\n');
  deps.log.info({ port, env: config.env }, 'BFF listening');

  const shutdown = async () => {
    deps.waiters.close(); // waiting status requests are answered with the order as it is
    server.close();
    extras.close();
    await worker.stop();
    await deps.orders.flushCalls().catch(() => undefined); // peer-call records still waiting for a step
    deps.redis.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: Error) => {
  process.stderr.write(`BFF failed to start: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
