import type { FaultBook } from '../common/faults';
import type { WechatSandboxConfig } from './config';
import type { WechatpaySide } from './crypto';
import type { Notifier } from './notifier';
import type { WechatState } from './state';

export interface WechatCtx {
  cfg: WechatSandboxConfig;
  state: WechatState;
  faults: FaultBook;
  side: WechatpaySide;
  notifier: Notifier;
}
