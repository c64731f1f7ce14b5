/**
 * `npm run bench`: every benchmark of the project in one run on this machine, written to
 * bench/results/<timestamp>.json and bench/results/latest.json.
 *   - crypto: SM2 sign/verify and envelope seal+open, ours beside sm-crypto (ratio)
 *   - flows: complete payment flows per second through one BFF against the sandboxes, with
 *     p50/p99 BFF-added latency at 100 concurrent flows
 *   - load: sustained flows across three BFF instances for 60 s beside a bare Koa server (when present)
 *   - client: build sizes (WeChat main package < 2 MB) and the H5 first render in Chromium
 * `npm run bench -- crypto flows` runs a subset.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCrypto } from './crypto';
import { benchFlows } from './flows';
import { benchClientSize, benchH5FirstRender } from './client-size';

type Bench = () => Promise<object>;

async function loadBench(): Promise<Bench | undefined> {
  const file = path.join(__dirname, 'load.ts');
  if (!fs.existsSync(file)) return undefined;
  // load.ts comes with the multi-instance work; until then the load figure is skipped
  const mod = (await import(file)) as { benchLoad?: () => Promise<object> };
  return mod.benchLoad;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all: Record<string, Bench | undefined> = {
    crypto: () => benchCrypto(),
    flows: () => benchFlows({ concurrency: 100, seconds: 30 }),
    load: await loadBench(),
    client: async () => ({ size: await benchClientSize(), h5FirstRender: await benchH5FirstRender() }),
  };
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAvg: os.loadavg() },
  };
  for (const [name, run] of Object.entries(all)) {
    if (wanted.length && !wanted.includes(name)) continue;
    if (!run) {
      results[name] = { skipped: 'not available' };
      continue;
    }
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
