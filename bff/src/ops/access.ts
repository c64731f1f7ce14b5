import crypto from 'node:crypto';
import type { Config } from '../config';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

/** What the HTTP layer tells about a caller of the ops endpoints (http/routes/ops.ts reads it from the request). */
export interface OpsCaller {
  /** X-Ops-Token, when sent */
  presentedToken: string;
  /** the socket's address, not ctx.ip (the app trusts X-Forwarded-For) */
  remoteAddress: string;
  /** a proxy header (X-Forwarded-For, Forwarded, X-Real-IP) came with the request */
  proxied: boolean;
}

/**
 * May this caller see health details and metrics? Yes with the ops token (X-Ops-Token), or from
 * loopback. The socket address is used, not ctx.ip (the app trusts X-Forwarded-For), and a
 * loopback request carrying a proxy header is refused: behind a reverse proxy on the same host
 * every outside request arrives from 127.0.0.1.
 */
export function isOpsCaller(caller: OpsCaller, opsToken: string | undefined): boolean {
  if (opsToken && caller.presentedToken) return sameSecret(caller.presentedToken, opsToken);
  return LOOPBACK.test(caller.remoteAddress) && !caller.proxied;
}

/** security.opsToken, or MIP_OPS_TOKEN from the environment. */
export function opsTokenOf(config: Pick<Config, 'security'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = config.security.opsToken ?? env.MIP_OPS_TOKEN;
  // A short token is as good as none: refuse to protect metrics with it.
  return token && token.length >= 24 ? token : undefined;
}
