import type Koa from 'koa';
import type Router from '@koa/router';
import { createSandboxApp } from '../common/server';
import type { FaultBook } from '../common/faults';
import { WechatSandboxConfig } from './config';
import type { WechatCtx } from './context';
import { WechatpaySide } from './crypto';
import { Notifier } from './notifier';
import { mountBills } from './routes-bill';
import { cors, mountDev } from './routes-dev';
import { mountMiniProgram } from './routes-mp';
import { mountPay } from './routes-pay';
import { mountRefunds } from './routes-refund';
import { WechatState } from './state';
import { v3Middleware } from './v3-middleware';

export interface WechatSandbox {
  app: Koa;
  router: Router;
  faults: FaultBook;
  state: WechatState;
  /** reach a public https callback origin at a local address (tests with their own receivers) */
  routeCallbacks(origin: string, target: string): void;
  /** stops pending notifications and timers */
  close(): void;
}

/**
 * One server for all of WeChat: api.weixin.qq.com (jscode2session, stable_token, subscribe/send),
 * api.mch.weixin.qq.com (/v3/…) and the tengmed userQuery — the BFF points all three base URLs here.
 */
export function createWechatSandbox(input: unknown): WechatSandbox {
  const cfg = WechatSandboxConfig.parse(input);
  const { app, router, faults } = createSandboxApp('wechat');
  const state = new WechatState();
  const side = new WechatpaySide(cfg.merchantPublicKeyPem, cfg.wechatpayPrivateKeyPem, cfg.wechatpayPublicKeyId, cfg.apiV3Key);
  const notifier = new Notifier(faults, state.deliveries, {
    retryDelaysMs: cfg.notifyRetryDelaysMs,
    timeoutMs: cfg.notifyTimeoutMs,
    accepts: (status) => status >= 200 && status < 300,
  });
  const w: WechatCtx = { cfg, state, faults, side, notifier };
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  mountMiniProgram(router, w);
  mountPay(router, w);
  mountRefunds(router, w, later);
  mountBills(router, w);
  mountDev(router, w);
  app.use(cors());
  app.use(v3Middleware(w));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return {
    app,
    router,
    faults,
    state,
    routeCallbacks(origin, target) {
      cfg.callbackRoutes[origin] = target;
    },
    close() {
      notifier.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
