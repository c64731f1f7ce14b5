import type Koa from 'koa';
import type Router from '@koa/router';
import { createSandboxApp } from '../common/server';
import type { FaultBook } from '../common/faults';
import { Notifier } from '../wechat/notifier';
import { cors } from '../wechat/routes-dev';
import { AlipaySandboxConfig } from './config';
import type { AlipayCtx } from './context';
import { AlipaySide } from './crypto';
import { mountGateway } from './gateway';
import { mountDev } from './routes-dev';
import { AlipayState } from './state';
import { UserDirectory } from './users';

export interface AlipaySandbox {
  app: Koa;
  router: Router;
  faults: FaultBook;
  state: AlipayState;
  close(): void;
}

/** openapi.alipay.com/gateway.do plus the pay/voucher pages, the bill files and the dev endpoints. */
export function createAlipaySandbox(input: unknown): AlipaySandbox {
  const cfg = AlipaySandboxConfig.parse(input);
  const { app, router, faults } = createSandboxApp('alipay');
  const state = new AlipayState();
  const notifier = new Notifier(faults, state.deliveries, {
    retryDelaysMs: cfg.notifyRetryDelaysMs,
    timeoutMs: cfg.notifyTimeoutMs,
    accepts: (status, body) => status === 200 && body.trim() === 'success',
  });
  const w: AlipayCtx = { cfg, state, faults, side: new AlipaySide(cfg.appPublicKeyPem, cfg.alipayPrivateKeyPem), notifier, users: new UserDirectory(cfg.appId) };
  mountGateway(router, w);
  mountDev(router, w);
  app.use(cors());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router, faults, state, close: () => notifier.close() };
}
