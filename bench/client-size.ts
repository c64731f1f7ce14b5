/**
 * Client benchmarks.
 *   benchClientSize()        — bytes of each build (client/dist/{weapp,alipay,h5}) and the WeChat /
 *                              Alipay main-package size against the 2 MB limit.
 *   benchH5FirstRender(url)  — first render / first contentful paint of the H5 build in Debian's
 *                              Chromium (/usr/bin/chromium) through playwright-core; with no url a
 *                              static server for client/dist/h5 is started here.
 * Run: npx tsx bench/client-size.ts [url]   (build first: npm run build -w @mip/client)
 */
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium';

const CLIENT_DIST = path.resolve(__dirname, '..', 'client', 'dist');
export const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;

interface Walk {
  bytes: number;
  files: number;
}

function walk(dir: string, skip: (rel: string) => boolean = () => false, base = dir): Walk {
  const out: Walk = { bytes: 0, files: 0 };
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    const rel = path.relative(base, full).split(path.sep).join('/');
    if (skip(rel)) continue;
    if (e.isDirectory()) {
      const w = walk(full, skip, base);
      out.bytes += w.bytes;
      out.files += w.files;
    } else if (e.isFile()) {
      out.bytes += fs.statSync(full).size;
      out.files += 1;
    }
  }
  return out;
}

/** Roots of subpackages declared in app.json (everything else is the main package). */
function subpackageRoots(dir: string): string[] {
  try {
    const app = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8'));
    const subs: Array<{ root: string }> = app.subPackages ?? app.subpackages ?? [];
    return subs.map((s) => s.root.replace(/^\/+|\/+$/g, ''));
  } catch {
    return [];
  }
}

// License notices webpack writes beside bundles are not part of what the platforms load.
const notShipped = (rel: string) => rel.endsWith('.LICENSE.txt') || rel.endsWith('.map') || rel === 'project.config.json';

function miniSize(kind: 'weapp' | 'alipay') {
  const dir = path.join(CLIENT_DIST, kind);
  if (!fs.existsSync(path.join(dir, 'app.js'))) return { built: false as const, dir };
  const subs = subpackageRoots(dir);
  const total = walk(dir);
  const shipped = walk(dir, notShipped);
  const main = walk(dir, (rel) => notShipped(rel) || subs.some((r) => rel === r || rel.startsWith(`${r}/`)));
  return {
    built: true as const,
    dir,
    totalBytes: total.bytes,
    files: total.files,
    shippedBytes: shipped.bytes,
    mainPackageBytes: main.bytes,
    subpackages: subs.length,
    limitBytes: MAIN_PACKAGE_LIMIT,
    pass: main.bytes < MAIN_PACKAGE_LIMIT,
  };
}

export async function benchClientSize(): Promise<object> {
  const h5Dir = path.join(CLIENT_DIST, 'h5');
  const h5Built = fs.existsSync(path.join(h5Dir, 'index.html'));
  const h5 = h5Built
    ? (() => {
        const total = walk(h5Dir);
        const js = walk(h5Dir, (rel) => !rel.endsWith('.js') && !fs.statSync(path.join(h5Dir, rel)).isDirectory());
        const app = fs.readdirSync(path.join(h5Dir, 'js')).find((f) => /^app\..*\.js$/.test(f));
        return {
          built: true,
          dir: h5Dir,
          totalBytes: total.bytes,
          files: total.files,
          shippedBytes: walk(h5Dir, notShipped).bytes,
          jsBytes: js.bytes,
          appEntryBytes: app ? fs.statSync(path.join(h5Dir, 'js', app)).size : 0,
        };
      })()
    : { built: false, dir: h5Dir };
  const weapp = miniSize('weapp');
  const alipay = miniSize('alipay');
  return {
    weapp,
    alipay,
    h5,
    weappMainPackageBytes: weapp.built ? weapp.mainPackageBytes : null,
    weappMainPackagePass: weapp.built ? weapp.pass : null,
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static server for client/dist/h5 on 127.0.0.1 (the BFF is absent: /api answers 404 JSON). */
export function serveH5(root = path.join(CLIENT_DIST, 'h5')): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: '预览服务器没有连接 BFF' } }));
      return;
    }
    const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchH5FirstRender(url?: string, runs = 3): Promise<object> {
  let server: { url: string; close: () => Promise<void> } | undefined;
  if (!url) {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'h5', 'index.html'))) return { skipped: 'client/dist/h5 is not built' };
    server = await serveH5();
    url = server.url;
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const samples: Array<Record<string, number>> = [];
  try {
    for (let i = 0; i < runs; i++) {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mip-bench-chromium-'));
      const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 390, height: 844 },
      });
      try {
        const page = ctx.pages()[0] ?? (await ctx.newPage());
        const t0 = Date.now();
        await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
        // our first render: the home page root inside Taro's visible page container
        await page.waitForSelector('.taro_page_show #page-home', { timeout: 60_000 });
        const firstRenderWallMs = Date.now() - t0;
        // a string, not a function: tsx would wrap inner functions in a helper the page lacks
        const m = (await page.evaluate(`(() => {
          const paint = performance.getEntriesByType('paint');
          const nav = performance.getEntriesByType('navigation')[0];
          const fp = paint.find((p) => p.name === 'first-paint');
          const fcp = paint.find((p) => p.name === 'first-contentful-paint');
          const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + (r.transferSize || 0), 0);
          return {
            firstPaintMs: fp ? fp.startTime : -1,
            firstContentfulPaintMs: fcp ? fcp.startTime : -1,
            domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : -1,
            loadMs: nav ? nav.loadEventEnd : -1,
            firstRenderMs: performance.now(),
            transferredBytes: bytes + (nav ? nav.transferSize : 0),
          };
        })()`)) as Record<string, number>;
        samples.push({ ...m, firstRenderWallMs });
      } finally {
        await ctx.close();
        fs.rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await server?.close();
  }
  const keys = Object.keys(samples[0]);
  const med: Record<string, number> = {};
  for (const k of keys) med[k] = Math.round(median(samples.map((s) => s[k])) * 10) / 10;
  return { url, runs, median: med, samples };
}

if (require.main === module) {
  (async () => {
    const size = await benchClientSize();
    const render = await benchH5FirstRender(process.argv[2]);
    console.log(JSON.stringify({ size, h5FirstRender: render }, null, 2));
    const w = (size as { weappMainPackagePass: boolean | null }).weappMainPackagePass;
    if (w === false) process.exitCode = 1;
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
