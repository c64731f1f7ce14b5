import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, waitForPort } from './ports';
import type { ProcessHandle } from './types';

/** restart: SIGKILL then start again on the same port and data dir (AOF replays what was acknowledged) */
export interface RedisHandle extends ProcessHandle {
  dir: string;
}

export function redisServerPath(): string {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (fs.existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('redis-server is not installed: run `npm run setup` (it installs it with apt-get) or install Redis 7');
  }
}

/** A real redis-server on loopback with AOF (appendfsync always: a test restart must lose nothing acknowledged). */
export async function startRedis(opts: { dir: string; port?: number; fsync?: 'always' | 'everysec' }): Promise<RedisHandle> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir;
  fs.mkdirSync(dir, { recursive: true });
  let child: ChildProcess | undefined;
  const bin = redisServerPath();

  const start = async () => {
    const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
    child = spawn(
      bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', opts.fsync ?? 'always',
        '--save', '', '--protected-mode', 'yes', '--daemonize', 'no', '--maxclients', '10000'],
      { stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    await waitForPort(port, 10_000);
  };
  const waitExit = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });
  const handle: RedisHandle = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    start,
    async kill() {
      child?.kill('SIGKILL');
      await waitExit();
    },
    async stop() {
      child?.kill('SIGTERM');
      await waitExit();
    },
    async restart() {
      await handle.kill();
      await start();
    },
  };
  await start();
  return handle;
}
