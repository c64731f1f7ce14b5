/**
 * The floor of one payment flow's BFF CPU on this machine: the work every flow must do whatever
 * the BFF's own code, each priced here alone, with nothing of ours around it, and summed at the
 * counts one flow has (issue 14). What `npm run bench -- flows` measures above this sum is ours.
 *
 *   - SM2 (GB/T 32918, our implementation, warm key tables): 6201 and 6202 signed, their two
 *     answers and the 6302 verified;
 *   - RSA-2048 (OpenSSL through node:crypto) for WeChat Pay: three signatures (the user query, the
 *     med-ins order, the client's paySign), three verifications (two answers, the notification),
 *     two RSA-OAEP encryptions (the payer's name and ID number in the order);
 *   - AES-256-GCM: the notification's resource, personal data sealed twice and opened three times;
 *     SM4-ECB: the national envelopes (two sealed, three opened);
 *   - HTTP: 8 requests served by a bare Koa app (its process's CPU, read from /proc) and 7 sent with
 *     a kept-alive node:http client (this process's CPU);
 *   - Redis: the round trips one flow sends (`--redis-commands`, default 34: the flows bench's
 *     redisCommandsSent) through an ioredis client as the BFF connects it, 50 at a time;
 *   - the order document (a completed one, with its timeline) parsed 7 and written 6 times.
 *
 *   npx tsx bench/floor.ts [--redis-commands 34]
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair, sign, verify } from '../bff/src/crypto/sm2';
import { sm4EcbDecrypt, sm4EcbEncrypt } from '../bff/src/crypto/sm4';
import { orderFixture } from '../bff/src/domain/fixtures';
import { connectRedis } from '../bff/src/store/redis';
import { startRedis } from '../scripts/stack/redis';
import { freePort, waitForPort } from '../scripts/stack/ports';
import { nodeArgs } from '../scripts/stack/service';
import { HELLO_ENTRY } from './hello';

/** CPU ms (user + system) of this process per call of `fn`, after a warm-up. */
function cpuPerCall(fn: (i: number) => void, n: number, warm = Math.min(200, n)): number {
  for (let i = 0; i < warm; i++) fn(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / n;
}

async function cpuPerCallAsync(fn: () => Promise<void>, n: number, parallel: number): Promise<number> {
  const run = async (count: number) => {
    let left = count;
    await Promise.all(Array.from({ length: parallel }, async () => {
      while (left-- > 0) await fn();
    }));
  };
  await run(Math.min(2000, n));
  const t0 = process.cpuUsage();
  await run(n);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / n;
}

/** user + system CPU ms of another process, from /proc (clock ticks of 10 ms: count many requests). */
function procCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function crypto_(): Record<string, number> {
  const ours = generateKeyPair();
  const text = 'appId=1&data={"payOrdId":"ORD440100202612070317190000035","ordStas":"6","feeSumamt":"128.50"}&encType=SM4&signType=SM2&timestamp=1&version=2.0.1&key=S';
  const sig = sign(text, ours.privateKey);
  const sm2Sign = cpuPerCall(() => void sign(text, ours.privateKey), 400);
  const sm2Verify = cpuPerCall(() => void verify(text, sig, ours.publicKey), 400);

  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const msg = Buffer.from(`POST\n/v3/med-ins/orders\n1733450000\nNONCE\n${'x'.repeat(900)}\n`);
  const rsaSig = crypto.sign('sha256', msg, privateKey);
  const rsaSign = cpuPerCall(() => void crypto.sign('sha256', msg, privateKey), 300);
  const rsaVerify = cpuPerCall(() => void crypto.verify('sha256', msg, publicKey, rsaSig), 2000);
  const oaep = cpuPerCall(() => void crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('张三丰')), 2000);

  const key = crypto.randomBytes(32);
  const gcm = (plain: Buffer) => {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', key, iv);
    const out = Buffer.concat([c.update(plain), c.final()]);
    const d = crypto.createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(c.getAuthTag());
    return Buffer.concat([d.update(out), d.final()]);
  };
  const aesPair = cpuPerCall(() => void gcm(Buffer.alloc(600, 7)), 5000);
  const k16 = crypto.randomBytes(16);
  const envelope = Buffer.alloc(1500, 65);
  const sm4Pair = cpuPerCall(() => void sm4EcbDecrypt(k16, sm4EcbEncrypt(k16, envelope)), 3000);
  return { sm2Sign, sm2Verify, rsaSign, rsaVerify, oaep, aesPair, sm4Pair };
}

async function httpExchange(requests: number): Promise<{ clientMs: number; serverMs: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, nodeArgs(path.join(__dirname, '..', HELLO_ENTRY)), { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForPort(port, 20_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const body = JSON.stringify({ orderNo: 'R261207031719TW5JYU', amounts: { totalFen: 12850, fundFen: 8000, acctFen: 2000, cashFen: 2850 }, pad: 'x'.repeat(500) });
    const post = () =>
      new Promise<void>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/hello', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            JSON.parse(Buffer.concat(chunks).toString('utf8'));
            resolve();
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    await cpuPerCallAsync(post, 3000, 8); // warm both sides
    const s0 = procCpuMs(child.pid!);
    const clientMs = await cpuPerCallAsync(post, requests, 8);
    const serverMs = (procCpuMs(child.pid!) - s0) / (requests + Math.min(2000, requests));
    agent.destroy();
    return { clientMs, serverMs };
  } finally {
    child.kill('SIGKILL');
  }
}

async function redisRoundTrip(commands: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floor-redis-'));
  const server = await startRedis({ dir, fsync: 'everysec' });
  const r = connectRedis(server.url);
  try {
    const doc = JSON.stringify(orderFixture());
    await r.hset('floor:order', 'v', '1', 'doc', doc);
    let i = 0;
    // the mix a flow sends: reads of the document, plain SETs, and Lua steps (EVALSHA)
    const one = async () => {
      const k = i++ % 3;
      if (k === 0) await r.hget('floor:order', 'doc');
      else if (k === 1) await r.set(`floor:k:${i % 100}`, 'v', 'EX', 60);
      else await r.setIfEquals('floor:cas', 'x', 'x');
    };
    return await cpuPerCallAsync(one, commands, 50);
  } finally {
    r.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function orderDocument(): Record<string, number> {
  const o = orderFixture({ state: 'completed' });
  for (let i = 0; i < 8; i++) o.timeline.push({ at: '2026-12-06T19:03:15.702Z', from: 'paid', to: 'completed', event: '医保已结算 (6)', by: 'centre', reason: 'notify_6302' });
  const doc = JSON.stringify(o);
  return { bytes: doc.length, parse: cpuPerCall(() => void JSON.parse(doc), 20_000), write: cpuPerCall(() => void JSON.stringify(o), 20_000) };
}

export async function benchFloor(opts: { redisCommands?: number } = {}): Promise<object> {
  const redisCommands = opts.redisCommands ?? 34;
  const c = crypto_();
  const h = await httpExchange(20_000);
  const redisMs = await redisRoundTrip(30_000);
  const doc = orderDocument();
  const perFlow = {
    sm2: 2 * c.sm2Sign + 3 * c.sm2Verify,
    rsa: 3 * c.rsaSign + 3 * c.rsaVerify + 2 * c.oaep,
    symmetric: 1.7 * c.aesPair + 2.5 * c.sm4Pair,
    httpServed: 8 * h.serverMs,
    httpSent: 7 * h.clientMs,
    redis: redisCommands * redisMs,
    orderDocument: 7 * doc.parse + 6 * doc.write,
  };
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const total = Object.values(perFlow).reduce((a, b) => a + b, 0);
  return {
    unitCpuMs: Object.fromEntries(Object.entries({ ...c, httpServerPerRequest: h.serverMs, httpClientPerRequest: h.clientMs, redisPerCommand: redisMs, docParse: doc.parse, docWrite: doc.write }).map(([k, v]) => [k, round(v)])),
    orderDocumentBytes: doc.bytes,
    perFlowCpuMs: Object.fromEntries(Object.entries(perFlow).map(([k, v]) => [k, round(v)])),
    floorCpuMsPerFlow: round(total),
    loadAvg: os.loadavg(),
  };
}

if (require.main === module) {
  const i = process.argv.indexOf('--redis-commands');
  benchFloor({ redisCommands: i > 0 ? Number(process.argv[i + 1]) : undefined })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'))
    .catch((err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    });
}
