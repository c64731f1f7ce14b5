import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { platform } from './platform';
import './app.css';

/**
 * App level: the e-voucher mini-program hands its authCode back in the App's onShow options
 * (referrerInfo.extraData); pages do not get them (Taro issues #1161, #9803). The platform keeps
 * it for the page that is waiting.
 */
function App({ children }: PropsWithChildren) {
  useLaunch((options) => platform.onAppShow(options as never));
  useDidShow((options) => platform.onAppShow(options as never));
  return children;
}

export default App;
