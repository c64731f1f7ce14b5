import type { AlipayConfig } from '../../config/channels';
import { AlipayChannel } from './adapter';

export { AlipayChannel } from './adapter';

export function createAlipayChannel(cfg: AlipayConfig, now?: () => number): AlipayChannel {
  return new AlipayChannel(cfg, { now });
}
