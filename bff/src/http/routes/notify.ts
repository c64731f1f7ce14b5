import type Router from '@koa/router';
import type { ChannelName } from '../../channels/port';
import type { Deps } from '../../flows/deps';
import { onChannelNotification, onNationalNotification } from '../../flows/confirming';
import { readRawBody } from '../body';
import { kioskConfigOf } from '../../kiosk/config';

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
  const paths: Record<ChannelName, string> = { wechat: '/notify/wechat/payment', alipay: '/notify/alipay/payment', cashier: kioskConfigOf(deps.config).cashier.notifyPath };
  for (const channel of Object.keys(paths) as ChannelName[]) {
    router.post(paths[channel], async (ctx) => {
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
