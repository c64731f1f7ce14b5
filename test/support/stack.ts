import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deepMerge, startStack, type Stack, type StackOptions } from '../../scripts/stack';
import { getJson, postJson } from './api';

/** Deadlines and back-offs short enough for tests; everything else as shipped. */
const TEST_BFF_CONFIG = {
  national: { pollBaseMs: 200, pollMaxMs: 1000, pollMaxAttempts: 10, timeoutMs: 3000 },
  his: { timeoutMs: 3000, writeBack: { baseDelayMs: 150, maxDelayMs: 600, deadlineMs: 5000 } },
  unpaidOrderTtlMs: 120_000,
};

export interface TestStack extends Stack {
  faults(peer: 'national' | 'his' | 'wechat' | 'alipay'): {
    add(rule: Record<string, unknown>): Promise<void>;
    clear(): Promise<void>;
  };
  cleanup(): Promise<void>;
}

/**
 * The sandbox peers' keys, made once per jest run (RSA and SM2 key generation is about 2 s of
 * every stack's start) and shared by the run's stacks; jest's workers share its process id.
 */
const CREDENTIALS_CACHE = path.join(os.tmpdir(), `mip-test-credentials-${process.ppid}.json`);

export async function testStack(opts: Partial<StackOptions> = {}): Promise<TestStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-stack-'));
  const credentials = path.join(dir, 'credentials.json');
  if (fs.existsSync(CREDENTIALS_CACHE)) fs.copyFileSync(CREDENTIALS_CACHE, credentials);
  const stack = await startStack({
    ...opts,
    // Older tests book one patient into the first open slot again and again: the sandbox HIS's
    // one-registration-per-session rule is on only where a test asks for it.
    sandboxConfig: deepMerge({ his: { oneRegistrationPerSession: false } }, opts.sandboxConfig as Record<string, unknown> | undefined) as StackOptions['sandboxConfig'],
    dir,
    bffConfig: deepMerge(TEST_BFF_CONFIG as Record<string, unknown>, opts.bffConfig),
    bffEnv: { WORKER_CLAIM_IDLE_MS: '3000', LOG_LEVEL: 'info', ...(opts.bffEnv ?? {}) },
  });
  if (!fs.existsSync(CREDENTIALS_CACHE)) {
    // written whole, then renamed: a parallel worker reads the old state or the complete file
    const tmp = `${CREDENTIALS_CACHE}.${process.pid}`;
    fs.copyFileSync(credentials, tmp);
    fs.renameSync(tmp, CREDENTIALS_CACHE);
  }
  return Object.assign(stack, {
    faults(peer: 'national' | 'his' | 'wechat' | 'alipay') {
      const base = stack.urls[peer];
      return {
        add: async (rule: Record<string, unknown>) => void (await postJson(`${base}/sandbox/faults`, rule)),
        clear: async () => void (await fetch(`${base}/sandbox/faults`, { method: 'DELETE' })),
      };
    },
    async cleanup() {
      await stack.stop();
      if (!process.env.KEEP_STACK) fs.rmSync(dir, { recursive: true, force: true });
      else process.stderr.write(`stack kept in ${dir}\n`);
    },
  });
}

export { getJson, postJson };
