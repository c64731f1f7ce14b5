/**
 * Summarises a V8 CPU profile (node --cpu-prof) by area: self time of every sampled function,
 * grouped by where its code lives (Koa/HTTP, logging, validation, JSON, crypto, ioredis, ours…).
 *
 *   BFF_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/flows.ts --concurrency 50 --seconds 15
 *   npx tsx bench/cpu-profile.ts /tmp/prof/CPU.*.cpuprofile [--top 30]
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** First match wins: the area a function's code belongs to, by its file. */
const AREAS: [string, RegExp][] = [
  ['koa / router / http', /node_modules\/(koa|@koa|koa-compose|http-errors|on-finished|statuses|type-is|content-type|accepts|negotiator|delegates|cookies|depd|mime|vary|encodeurl|escape-html|parseurl|path-to-regexp)|node:_http|node:http\b|node:net|node:stream|node:internal\/streams|node:internal\/http|_http_/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|fast-redact|quick-format|atomic-sleep|on-exit-leak-free|thread-stream)|bff\/src\/obs\//],
  ['metrics (prom-client)', /node_modules\/(prom-client|tdigest|bintrees)|bff\/src\/ops\//],
  ['validation (zod)', /node_modules\/zod|shared\/src\/contract/],
  ['ioredis', /node_modules\/(ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback|lodash)/],
  ['crypto (ours: SM2/SM3/SM4, RSA call sites)', /bff\/src\/(crypto|national\/envelope|security)|node:crypto|node:internal\/crypto/],
  ['peers (http client, adapters)', /bff\/src\/(peers|channels|his|national|kiosk)\//],
  ['our code (flows, store, domain, http)', /bff\/src\/|shared\/src\//],
  ['tsx / module loading', /node_modules\/(tsx|esbuild|get-tsconfig)|node:internal\/modules/],
  ['node internals (timers, async hooks, events, buffers)', /^node:/],
  ['other modules', /node_modules/],
];

/** areas left out of `busyShare`: not the process's own work, or wall time more than CPU */
const NOT_WORK = new Set(['(idle)', '(program)', 'socket writes (syscalls)']);

export function summarise(p: Profile, top = 25): { totalMs: number; byArea: Record<string, number>; busyShare: Record<string, string>; topFunctions: { fn: string; ms: number }[]; special: Record<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const byArea: Record<string, number> = {};
  const byFn = new Map<string, number>();
  const special: Record<string, number> = {};
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    total += us;
    const name = functionName || '(anonymous)';
    // (garbage collector), (program), (idle), JSON.parse/stringify and other built-ins have no url
    let area = url ? (AREAS.find(([, re]) => re.test(url))?.[0] ?? 'other') : `builtin ${name}`;
    if (!url && /^(parse|stringify)$/.test(name)) area = 'JSON (built-in parse/stringify)';
    if (!url && /^\((garbage collector|program|idle)\)$/.test(name)) area = name;
    if (!url && !/^\(|^(parse|stringify)$/.test(name)) area = 'built-ins (regexp, string, native)';
    // socket writes: the sample lands here when the process is preempted by the peer it just woke
    // (loopback), so on a busy machine this is wall time far more than CPU
    if (!url && /^(writev|writeUtf8String|writeLatin1String|writeBuffer)$/.test(name)) area = 'socket writes (syscalls)';
    byArea[area] = (byArea[area] ?? 0) + us;
    const short = url.replace(/^.*?(node_modules\/|bff\/src\/|shared\/src\/)/, '$1');
    const key = `${name} ${short}:${lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    if (/^(sign|verify|privateDecrypt|createSign|createVerify|createPrivateKey|createPublicKey)$/.test(name) && /crypto/.test(url)) special[`crypto.${name}`] = (special[`crypto.${name}`] ?? 0) + us;
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const busy = Object.entries(byArea).filter(([k]) => !NOT_WORK.has(k)).reduce((a, [, v]) => a + v, 0);
  return {
    totalMs: ms(total),
    /** each area's part of the sampled time that was the process's own work */
    busyShare: Object.fromEntries(Object.entries(byArea).filter(([k]) => !NOT_WORK.has(k)).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, `${Math.round((v / busy) * 1000) / 10}%`])),
    byArea: Object.fromEntries(Object.entries(byArea).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, ms(v)])),
    topFunctions: [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, ms: ms(us) })),
    special: Object.fromEntries(Object.entries(special).map(([k, v]) => [k, ms(v)])),
  };
}

if (require.main === module) {
  const i = process.argv.indexOf('--top');
  const top = i > 0 ? Number(process.argv[i + 1]) : 25;
  for (const f of process.argv.slice(2).filter((a, j, all) => !a.startsWith('--') && all[j - 1] !== '--top')) {
    console.log(f);
    console.log(JSON.stringify(summarise(JSON.parse(fs.readFileSync(f, 'utf8')) as Profile, top), null, 2));
  }
}
