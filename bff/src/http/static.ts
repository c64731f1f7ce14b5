import fs from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Serves the H5 preview build (GET only, no directory listing, no path escape). */
export function staticFiles(root: string) {
  const base = path.resolve(root);
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/his/') || ctx.path.startsWith('/staff/api')) return next();
    const rel = ctx.path === '/' ? 'index.html' : decodeURIComponent(ctx.path).replace(/^\/+/, '');
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep)) return next();
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return next();
    }
    if (!stat.isFile()) return next();
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    ctx.set('cache-control', rel === 'index.html' ? 'no-cache' : 'public, max-age=3600');
    ctx.length = stat.size;
    ctx.body = fs.createReadStream(file);
  };
}
