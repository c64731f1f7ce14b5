/**
 * Starts the whole local stack: a real redis-server (AOF), the sandbox peers as separate
 * processes, and one or more BFF processes — for `npm start`, the integration tests and the
 * benchmark alike. Credentials are generated fresh for a new stack directory and kept there
 * (gitignored); nothing private is committed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './ports';
import { startRedis, type RedisHandle } from './redis';
import { service, type ServiceHandle } from './service';
import type { PeerName, PeerStackModule, StackCredentials, StackUrls } from './types';
import { nationalStack } from '../../sandbox/national/stack';
import { hisStack } from '../../sandbox/his/stack';
import { wechatStack } from '../../sandbox/wechat/stack';
import { alipayStack } from '../../sandbox/alipay/stack';

export const PEERS: PeerStackModule[] = [nationalStack, hisStack, wechatStack, alipayStack];

export interface StackOptions {
  /** data, logs and credentials live here; reused when it already holds credentials */
  dir: string;
  bffInstances?: number;
  /** fixed port of the first BFF (npm start uses 8080) */
  bffPort?: number;
  h5Dir?: string;
  /** deep-merged into the BFF configuration (tests shorten deadlines, etc.) */
  bffConfig?: Record<string, unknown>;
  /** deep-merged into each sandbox's configuration */
  sandboxConfig?: Partial<Record<PeerName, Record<string, unknown>>>;
  bffEnv?: Record<string, string>;
  redisFsync?: 'always' | 'everysec';
  /** 'redis-cluster://…' to run the BFFs against an external cluster instead of the stack's Redis */
  redisUrl?: string;
}

export interface Stack {
  dir: string;
  urls: StackUrls;
  redis: RedisHandle;
  peers: Record<PeerName, ServiceHandle>;
  bffs: ServiceHandle[];
  /** the round-robin proxy in front of the BFFs (only when bffInstances > 1; urls.bff points at it) */
  proxy?: ServiceHandle;
  credentials: StackCredentials;
  bffConfigFile: string;
  bffConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

export function deepMerge<T extends Record<string, unknown>>(base: T, over: Record<string, unknown> | undefined): T {
  if (!over) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out as T;
}

async function loadOrMakeCredentials(dir: string): Promise<StackCredentials> {
  const file = path.join(dir, 'credentials.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as StackCredentials;
  const creds = {} as StackCredentials;
  for (const p of PEERS) creds[p.name] = await p.makeCredentials();
  fs.writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const logDir = path.join(opts.dir, 'logs');
  const credentials = await loadOrMakeCredentials(opts.dir);
  const redis = await startRedis({ dir: path.join(opts.dir, 'redis'), fsync: opts.redisFsync });
  const instances = opts.bffInstances ?? 1;
  // several instances: a proxy takes the public port and spreads requests over them (proxy.ts)
  const proxyPort = instances > 1 ? (opts.bffPort ?? (await freePort())) : undefined;
  const bffPorts: number[] = [];
  for (let i = 0; i < instances; i++) bffPorts.push(i === 0 && opts.bffPort && !proxyPort ? opts.bffPort : await freePort());
  const peerPorts = Object.fromEntries(await Promise.all(PEERS.map(async (p) => [p.name, await freePort()] as const))) as Record<PeerName, number>;
  const urls: StackUrls = {
    bff: `http://127.0.0.1:${proxyPort ?? bffPorts[0]}`,
    national: `http://127.0.0.1:${peerPorts.national}`,
    his: `http://127.0.0.1:${peerPorts.his}`,
    wechat: `http://127.0.0.1:${peerPorts.wechat}`,
    alipay: `http://127.0.0.1:${peerPorts.alipay}`,
  };

  const peers = {} as Record<PeerName, ServiceHandle>;
  // the peers and the BFFs start side by side (a BFF calls no peer before a request comes)
  const peersUp = Promise.all(
    PEERS.map(async (p) => {
      const cfg = deepMerge(p.sandboxConfig(credentials, urls), opts.sandboxConfig?.[p.name]);
      const file = path.join(opts.dir, `${p.name}.sandbox.json`);
      fs.writeFileSync(file, JSON.stringify(cfg, null, 2), { mode: 0o600 });
      // MIP_NODE_ARGS in the starter's environment (e.g. --cpu-prof) reaches the sandboxes too, for profiling runs
      const nodeArgs: Record<string, string> = process.env.MIP_NODE_ARGS ? { MIP_NODE_ARGS: process.env.MIP_NODE_ARGS } : {};
      peers[p.name] = service({ name: `${p.name}-sandbox`, entry: p.entry, port: peerPorts[p.name], env: { SANDBOX_CONFIG: file, ...nodeArgs }, logDir });
      await peers[p.name].start();
    }),
  );

  let bffConfig: Record<string, unknown> = {
    env: 'sandbox',
    port: bffPorts[0],
    publicBaseUrl: urls.bff,
    hospital: { name: '乐于医院', code: 'H44010600001', servicePhone: '020-8888 0000' },
    redis: { url: opts.redisUrl ?? redis.url, keyPrefix: 'mip:' },
    security: { piiKey: piiKeyFor(opts.dir), bootstrapStaff: { username: 'admin', password: staffPasswordFor(opts.dir), roles: ['admin'] } },
    validateResponses: true,
    sandboxPreview: { wechatUrl: urls.wechat, alipayUrl: urls.alipay },
    ...(opts.h5Dir ? { h5Dir: opts.h5Dir } : {}),
  };
  for (const p of PEERS) bffConfig = deepMerge(bffConfig, mergeSecurity(bffConfig, p.bffConfig(credentials, urls)));
  bffConfig = deepMerge(bffConfig, opts.bffConfig);
  const bffConfigFile = path.join(opts.dir, 'bff.config.json');
  fs.writeFileSync(bffConfigFile, JSON.stringify(bffConfig, null, 2), { mode: 0o600 });

  const bffs = bffPorts.map((port, i) =>
    service({ name: `bff-${i + 1}`, entry: 'bff/src/main.ts', port, env: { MIP_CONFIG: bffConfigFile, INSTANCE_ID: `bff-${i + 1}`, ...(opts.bffEnv ?? {}) }, logDir }),
  );
  await Promise.all([peersUp, ...bffs.map((b) => b.start())]);
  const proxy = proxyPort
    ? service({ name: 'bff-proxy', entry: 'scripts/stack/proxy.ts', port: proxyPort, env: { PROXY_TARGETS: bffs.map((b) => b.url).join(',') }, logDir })
    : undefined;
  await proxy?.start();

  return {
    dir: opts.dir,
    urls,
    redis,
    peers,
    bffs,
    proxy,
    credentials,
    bffConfigFile,
    bffConfig,
    async stop() {
      await proxy?.stop();
      await Promise.all(bffs.map((b) => b.stop()));
      await Promise.all(Object.values(peers).map((p) => p.stop()));
      await redis.stop();
    },
  };
}

/** Lists (HIS clients, kiosk devices) from several peers are concatenated, not overwritten. */
function mergeSecurity(base: Record<string, unknown>, add: Record<string, unknown>): Record<string, unknown> {
  const sec = add.security as Record<string, unknown> | undefined;
  if (!sec) return add;
  const cur = (base.security ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...sec };
  for (const k of ['hisClients', 'kioskDevices']) {
    if (Array.isArray(sec[k]) || Array.isArray(cur[k])) merged[k] = [...((cur[k] as unknown[]) ?? []), ...((sec[k] as unknown[]) ?? [])];
  }
  return { ...add, security: merged };
}

/** The sandbox's first staff account; the password is generated once and kept beside the data. */
export function staffPasswordFor(dir: string): string {
  const file = path.join(dir, 'staff-admin.password');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(12).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function piiKeyFor(dir: string): string {
  const file = path.join(dir, 'pii.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}
