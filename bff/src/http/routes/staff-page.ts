import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { STAFF_ORDER_STATE_LABEL } from '@mip/shared';

/** The console's three files, read once: they ship with the BFF and never change at run time. */
const WEB = path.join(__dirname, '../../staff/web');
const FILES: Record<string, { file: string; type: string }> = {
  '/staff/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/staff/console.js': { file: 'console.js', type: 'application/javascript; charset=utf-8' },
  '/staff/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

/**
 * The page loads only its own script and style (no inline code, no third-party origin) and may
 * not be framed, so injected markup cannot run and the console cannot be click-jacked.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers for everything under /staff: order data must not be cached, sniffed or framed. */
export function staffHeaders() {
  return async (ctx: Context, next: Next) => {
    if (ctx.path !== '/staff' && !ctx.path.startsWith('/staff/')) return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Security-Policy', CSP);
    return next();
  };
}

export function staffPage(router: Router): void {
  const cache = new Map(Object.entries(FILES).map(([route, f]) => [route, { type: f.type, body: withLabels(fs.readFileSync(path.join(WEB, f.file), 'utf8')) }]));
  router.get('/staff', (ctx, next) => {
    // The page's relative links need the slash. Guarded in case the router also matches '/staff/' here.
    if (ctx.path !== '/staff') return next();
    ctx.redirect('/staff/');
  });
  for (const [route, f] of cache) {
    router.get(route, (ctx) => {
      ctx.type = f.type;
      ctx.body = f.body;
    });
  }
}

/** The console's state labels come from their one source (shared/src/order-state.ts). */
function withLabels(text: string): string {
  return text.replace('/*@STAFF_ORDER_STATE_LABEL@*/ {}', JSON.stringify(STAFF_ORDER_STATE_LABEL));
}
