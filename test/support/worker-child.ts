/**
 * A worker process for the queue tests: takes jobs, reports each on stdout, and (in 'hang' mode)
 * never finishes them — so the test can kill it with work pending.
 */
import { Keys } from '../../bff/src/store/keys';
import { connectRedis } from '../../bff/src/store/redis';
import { JobQueue, Worker } from '../../bff/src/store/queue';
import { createLogger } from '../../bff/src/obs/log';

const redis = connectRedis(process.env.REDIS_URL!);
const queue = new JobQueue(redis, new Keys(process.env.PREFIX ?? 't:'));
const worker = new Worker(
  queue,
  {
    'his.writeBack': async (job) => {
      process.stdout.write(JSON.stringify({ took: job.key }) + '\n');
      await new Promise(() => undefined); // never finishes
      return 'done';
    },
  },
  { consumer: process.env.CONSUMER ?? 'child', concurrency: 4, claimIdleMs: 60_000, retryBaseMs: 100, retryMaxMs: 1000, maxAttempts: 5, blockMs: 100 },
  createLogger('worker-child', 'warn'),
);
void worker.start().then(() => process.stdout.write(JSON.stringify({ event: 'started' }) + '\n'));
