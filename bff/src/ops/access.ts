import crypto from 'node:crypto';
import type { Context } from 'koa';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

/**
 * May this caller see health details and metrics? Yes with the ops token (X-Ops-Token), or from
 * loopback. The socket address is used, not ctx.ip (the app trusts X-Forwarded-For), and a
 * loopback request carrying a proxy header is refused: behind a reverse proxy on the same host
 * every outside request arrives from 127.0.0.1.
 */
export function isOpsCaller(ctx: Context, opsToken: string | undefined): boolean {
  const presented = ctx.get('x-ops-token');
  if (opsToken && presented) return sameSecret(presented, opsToken);
  const remote = ctx.req.socket.remoteAddress ?? '';
  const proxied = !!(ctx.get('x-forwarded-for') || ctx.get('forwarded') || ctx.get('x-real-ip'));
  return LOOPBACK.test(remote) && !proxied;
}
