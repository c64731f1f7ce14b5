/**
 * `npm run bench`: every benchmark of the project in one run on this machine, written to
 * bench/results/<timestamp>.json and bench/results/latest.json.
 *   - crypto: SM2 sign/verify and envelope seal+open, ours beside sm-crypto (ratio)
 *   - floor: what one flow's fixed work (crypto, HTTP exchanges, Redis round trips, the order
 *     document) costs alone on this machine, summed at one flow's counts (bench/floor.ts)
 *   - flows: complete payment flows per second through one BFF against the sandboxes; per flow:
 *     BFF CPU ms (also in bare-Koa requests), Redis commands, peer calls, inbound requests; and an
 *     open loop at half that capacity for BFF-added latency p50/p99 (bench/flows.ts)
 *   - load: sustained flows across three BFF instances for 60 s beside a bare Koa server
 *   - client: build sizes (WeChat main package < 2 MB) and the H5 first render in Chromium
 * `npm run bench -- crypto flows` runs a subset.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCrypto } from './crypto';
import { benchFloor } from './floor';
import { benchFlows } from './flows';
import { benchLoad } from './load';
import { benchClientSize, benchH5FirstRender } from './client-size';

type Bench = () => Promise<object>;

/** The sizes must be of the current source: the three targets are built first (about a minute). */
function buildClient(): void {
  process.stderr.write('[bench] building the client (weapp, alipay, h5)…\n');
  execFileSync('npm', ['run', 'build', '-w', '@mip/client'], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 2, 2] });
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all: Record<string, Bench> = {
    crypto: () => benchCrypto(),
    floor: () => benchFloor(),
    flows: () => benchFlows({ concurrency: 100, seconds: 30, openSeconds: 20, helloSeconds: 5 }),
    load: () => benchLoad(),
    client: async () => {
      buildClient();
      return { size: await benchClientSize(), h5FirstRender: await benchH5FirstRender() };
    },
  };
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAvg: os.loadavg() },
  };
  for (const [name, run] of Object.entries(all)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stderr.write(`[bench] ${name}…\n`);
    const t0 = Date.now();
    try {
      results[name] = await run();
    } catch (err) {
      results[name] = { error: (err as Error).message };
    }
    process.stderr.write(`[bench] ${name} done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
  }
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(results, null, 2);
  fs.writeFileSync(path.join(dir, `${results.at as string}.json`.replace(/:/g, '-')), text);
  fs.writeFileSync(path.join(dir, 'latest.json'), text);
  process.stdout.write(text + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
