/**
 * A local Redis Cluster for tests: N masters (default 3) as separate `redis-server
 * --cluster-enabled yes` processes on loopback with AOF, joined by `redis-cli --cluster create
 * … --cluster-replicas 0 --cluster-yes`. The BFF connects with the URL it answers:
 * `redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` (bff/src/store/redis.ts).
 *
 *   const c = await startCluster({ dir }); … startStack({ redisUrl: c.url, … }); … await c.stop();
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './ports';
import { redisServerPath } from './redis';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  dir: string;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface ClusterHandle {
  /** redis-cluster://host:port,… */
  url: string;
  nodes: ClusterNode[];
  /** `CLUSTER KEYSLOT key` on any node */
  keyslot(key: string): Promise<number>;
  stop(): Promise<void>;
}

function redisCliPath(): string {
  const server = redisServerPath();
  const cli = path.join(path.dirname(server), 'redis-cli');
  return fs.existsSync(cli) ? cli : 'redis-cli';
}

async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(redisCliPath(), args, { timeout: 30_000 });
  return stdout;
}

export async function startCluster(opts: { dir: string; masters?: number }): Promise<ClusterHandle> {
  const masters = opts.masters ?? 3;
  if (masters < 3) throw new Error('Redis Cluster needs at least 3 masters');
  const bin = redisServerPath();
  const nodes: ClusterNode[] = [];
  const children: (ChildProcess | undefined)[] = [];

  for (let i = 0; i < masters; i++) {
    const port = await freePort({ alsoFree: 10_000 }); // the node's cluster bus listens on port + 10000
    const dir = path.join(opts.dir, `node-${i + 1}`);
    fs.mkdirSync(dir, { recursive: true });
    const waitExit = () =>
      new Promise<void>((resolve) => {
        const c = children[i];
        if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once('exit', () => resolve());
      });
    const node: ClusterNode = {
      port,
      dir,
      async start() {
        const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
        children[i] = spawn(
          bin,
          ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf',
            '--cluster-node-timeout', '3000', '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes', '--daemonize', 'no'],
          { stdio: ['ignore', log, log] },
        );
        fs.closeSync(log);
        await waitForPort(port, 10_000);
      },
      async kill() {
        children[i]?.kill('SIGKILL');
        await waitExit();
      },
    };
    nodes.push(node);
  }
  await Promise.all(nodes.map((n) => n.start()));

  const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
  await cli(['--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes']);
  // every node must see all slots covered before clients connect
  const until = Date.now() + 20_000;
  for (const n of nodes) {
    for (;;) {
      const info = await cli(['-p', String(n.port), 'cluster', 'info']).catch(() => '');
      if (/cluster_state:ok/.test(info) && /cluster_slots_assigned:16384/.test(info)) break;
      if (Date.now() > until) throw new Error(`cluster did not become ready: ${info}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    url: `redis-cluster://${addrs.join(',')}`,
    nodes,
    async keyslot(key: string) {
      return Number((await cli(['-p', String(nodes[0].port), 'cluster', 'keyslot', key])).trim());
    },
    async stop() {
      await Promise.all(
        nodes.map(async (n, i) => {
          children[i]?.kill('SIGTERM');
          await new Promise<void>((resolve) => {
            const c = children[i];
            if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => c.kill('SIGKILL'), 5000);
            c.once('exit', () => (clearTimeout(t), resolve()));
          });
        }),
      );
    },
  };
}
