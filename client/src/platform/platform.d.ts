// Types `./platform` for tsc; webpack resolves it to platform.<TARO_ENV>.ts, jest to a test double.
import type { Platform } from './index';
declare const platform: Platform;
export default platform;
