import type Router from '@koa/router';
import type { ChannelName } from '../../channels/port';
import type { Deps } from '../../flows/deps';
import { onChannelNotification, onNationalNotification } from '../../flows/confirming';
import { readRawBody } from '../body';

const LIMIT = 64 * 1024;

/**
 * Notification endpoints of the peers. The raw bytes go to the verifier untouched: a JSON or
 * form parser in front would change what was signed.
 */
export function notifyRoutes(router: Router, deps: Deps): void {
  router.post(deps.config.national.notifyPath, async (ctx) => {
    const ack = await onNationalNotification(deps, await readRawBody(ctx, LIMIT));
    ctx.status = ack.status;
    ctx.body = ack.body;
  });
  for (const channel of ['wechat', 'alipay'] as ChannelName[]) {
    router.post(`/notify/${channel}/payment`, async (ctx) => {
      const rawBody = await readRawBody(ctx, LIMIT);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(ctx.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
      const ack = await onChannelNotification(deps, channel, { headers, rawBody });
      ctx.status = ack.status;
      if (ack.errorCode) ctx.set('x-error-code', ack.errorCode);
      if (ack.contentType) ctx.type = ack.contentType;
      if (ack.body !== undefined) ctx.body = ack.body;
    });
  }
}
