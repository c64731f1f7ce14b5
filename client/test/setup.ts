import { act } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { __reset } from './stubs/taro';
import { resetPlatformDouble } from './doubles/platform';
import { resetApiState, timing } from '../src/lib/api';
import { resetLargeTextCache } from '../src/lib/large-text';

timing.retryDelayMs = () => 0;

beforeEach(() => {
  __reset();
  jest.clearAllMocks();
  (Taro.request as jest.Mock).mockReset();
  (Taro.getCurrentPages as jest.Mock).mockImplementation(() => []);
  resetPlatformDouble();
  resetApiState();
  resetLargeTextCache();
});

// Let promise callbacks that finish after a test's last assertion update React inside act().
afterEach(async () => {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
});
