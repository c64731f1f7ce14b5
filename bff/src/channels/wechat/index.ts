import type { WechatConfig } from '../../config/channels';
import type { TokenCache } from '../tokens';
import { WechatChannel } from './adapter';

export { WechatChannel } from './adapter';

export function createWechatChannel(cfg: WechatConfig, tokens: TokenCache, now?: () => number): WechatChannel {
  return new WechatChannel(cfg, { tokens, now });
}
