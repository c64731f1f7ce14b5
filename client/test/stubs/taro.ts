/** @tarojs/taro for jsdom tests: jest.fn APIs, a Map for storage, router params set by the test. */
const storage = new Map<string, unknown>();
let routerParams: Record<string, string> = {};

const resolved = () => jest.fn(() => Promise.resolve({ errMsg: 'ok' }));

const Taro = {
  request: jest.fn(),
  getStorageSync: jest.fn((k: string) => (storage.has(k) ? storage.get(k) : '')),
  setStorageSync: jest.fn((k: string, v: unknown) => {
    storage.set(k, JSON.parse(JSON.stringify(v)));
  }),
  removeStorageSync: jest.fn((k: string) => {
    storage.delete(k);
  }),
  clearStorageSync: jest.fn(() => storage.clear()),
  navigateTo: resolved(),
  redirectTo: resolved(),
  reLaunch: resolved(),
  navigateBack: resolved(),
  switchTab: resolved(),
  getCurrentPages: jest.fn((): Array<{ route: string }> => []),
  showModal: jest.fn(() => Promise.resolve({ confirm: true, cancel: false })),
  showToast: resolved(),
  showLoading: resolved(),
  hideLoading: resolved(),
  login: jest.fn(),
  navigateToMiniProgram: jest.fn(),
  requestSubscribeMessage: jest.fn(),
  eventCenter: { on: jest.fn(), off: jest.fn(), trigger: jest.fn() },
};

export const useRouter = jest.fn(() => ({ params: routerParams, path: '' }));
export const useDidShow = jest.fn();
export const useDidHide = jest.fn();
export const useLaunch = jest.fn();
export const useLoad = jest.fn();
export const useReady = jest.fn();
export const useUnload = jest.fn();
export const usePullDownRefresh = jest.fn();

/** Test helpers (not part of Taro). */
export function __setRouterParams(p: Record<string, string>): void {
  routerParams = p;
}
export function __reset(): void {
  storage.clear();
  routerParams = {};
}
export const __storage = storage;

export default Taro;
