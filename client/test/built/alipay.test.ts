/**
 * @jest-environment node
 *
 * Loads the BUILT Alipay package (client/dist/alipay/app.js) in Node with a faked `my`, `App`
 * and `Page`: every page of app.json must register (Page() called with a config) and render its
 * first data (the texts below arrive through setData). There is no Alipay simulator to do more.
 * Skips only when the build output is missing.
 */
import fs from 'fs';
import path from 'path';
import { PAGE_TEXT, answer } from './bff-fake';

const dist = path.resolve(__dirname, '../../dist/alipay');
const built = fs.existsSync(path.join(dist, 'app.js'));
if (!built) console.warn(`SKIPPED: ${dist}/app.js not found — run \`npm run build:alipay -w @mip/client\` first`);
const describeBuilt = built ? describe : describe.skip;

type PageInst = { route: string; data: Record<string, unknown>; payloads: unknown[]; setData: (d: Record<string, unknown>, cb?: () => void) => void } & Record<string, any>;

describeBuilt('built Alipay package (dist/alipay)', () => {
  const storage = new Map<string, unknown>();
  const pageConfigs = new Map<string, Record<string, any>>();
  const requests: string[] = [];
  const authScopes: unknown[] = [];
  const stack: PageInst[] = [];
  let app: any = null;
  let registering = '';
  let appConfig: { pages: string[] };

  const later = (fn: () => void) => setTimeout(fn, 1);

  beforeAll(() => {
    appConfig = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'));
    const g = global as any;
    // Alipay's JS engine has a navigator; Node 20 does not
    if (typeof g.navigator === 'undefined') g.navigator = { userAgent: 'Mozilla/5.0 AlipayClient/10.5.0 MiniProgram' };
    const ok = (name: string) => (o: any = {}) => later(() => { o.success?.({ errMsg: `${name}:ok` }); o.complete?.({}); });
    g.my = {
      canIUse: () => true,
      getSystemInfoSync: () => ({ platform: 'android', windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667, version: '10.5.0', SDKVersion: '2.9.0' }),
      getSystemInfo: (o: any) => later(() => o.success?.(g.my.getSystemInfoSync())),
      getStorageSync: ({ key }: { key: string }) => ({ data: storage.has(key) ? storage.get(key) : null }),
      setStorageSync: ({ key, data }: { key: string; data: unknown }) => storage.set(key, data),
      removeStorageSync: ({ key }: { key: string }) => storage.delete(key),
      getAuthCode: (o: any) => {
        authScopes.push(o.scopes);
        later(() => { o.success?.({ authCode: 'ali-code-1' }); o.complete?.({}); });
      },
      request: (o: any) => {
        requests.push(`${o.method} ${o.url}`);
        const r = answer(o.method, o.url);
        later(() => {
          const res = { status: r.statusCode, data: r.data, headers: {} };
          if (r.statusCode >= 400) o.fail?.({ error: 19, errorMessage: 'http status error', ...res });
          else o.success?.(res);
          o.complete?.(res);
        });
        return { abort() {} };
      },
      navigateTo: ok('navigateTo'),
      redirectTo: ok('redirectTo'),
      reLaunch: ok('reLaunch'),
      navigateBack: ok('navigateBack'),
      showToast: ok('showToast'),
      showLoading: ok('showLoading'),
      hideLoading: ok('hideLoading'),
      setNavigationBar: ok('setNavigationBar'),
      requestSubscribeMessage: (o: any) => later(() => o.complete?.({})),
      ap: { navigateToAlipayPage: ok('navigateToAlipayPage') },
      createSelectorQuery: () => ({ select: () => ({ boundingClientRect: () => ({ exec: (cb: any) => cb?.([]) }) }), selectAll: () => ({}), exec: () => undefined }),
    };
    g.App = (cfg: any) => {
      app = cfg;
    };
    g.getApp = () => app;
    g.getCurrentPages = () => stack;
    g.Page = (cfg: Record<string, any>) => {
      pageConfigs.set(registering, cfg);
    };
    require(path.join(dist, 'app.js'));
    app.onLaunch?.call(app, { path: 'pages/index/index', query: {} });
    app.onShow?.call(app, { path: 'pages/index/index', query: {} });
    for (const p of appConfig.pages) {
      registering = p;
      require(path.join(dist, `${p}.js`));
    }
  });

  function instantiate(route: string): PageInst {
    const cfg = pageConfigs.get(route)!;
    const inst: PageInst = {
      ...cfg,
      route,
      data: JSON.parse(JSON.stringify(cfg.data ?? {})),
      payloads: [],
      setData(d, cb) {
        inst.payloads.push(d);
        cb && later(cb);
      },
      $spliceData(d: Record<string, unknown>, cb?: () => void) {
        inst.payloads.push(d);
        cb && later(cb);
      },
    };
    stack.push(inst);
    cfg.onLoad?.call(inst, {});
    cfg.onShow?.call(inst);
    cfg.onReady?.call(inst);
    return inst;
  }

  async function firstData(inst: PageInst, want: RegExp): Promise<string> {
    const deadline = Date.now() + 8000;
    let text = '';
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      text = JSON.stringify(inst.payloads);
      if (want.test(text)) break;
    }
    return text;
  }

  test('registers the App and every page of app.json', () => {
    expect(app).toBeTruthy();
    expect(appConfig.pages).toEqual(Object.keys(PAGE_TEXT));
    for (const p of appConfig.pages) {
      expect(pageConfigs.has(p)).toBe(true);
      expect(typeof pageConfigs.get(p)!.onLoad).toBe('function');
      expect(fs.existsSync(path.join(dist, `${p}.axml`))).toBe(true);
    }
  });

  test.each(Object.keys(PAGE_TEXT))('renders the first data of %s', async (route) => {
    const inst = instantiate(route);
    const text = await firstData(inst, PAGE_TEXT[route]);
    expect(text).toMatch(PAGE_TEXT[route]);
    cfgUnload(route, inst);
  });

  test('logs in with my.getAuthCode (auth_base) and talks to the configured https BFF', () => {
    expect(authScopes[0]).toBe('auth_base');
    expect(requests).toEqual(expect.arrayContaining(['POST https://mip-bff.hospital.example.cn/api/session']));
  });

  function cfgUnload(route: string, inst: PageInst) {
    pageConfigs.get(route)!.onUnload?.call(inst);
    stack.splice(stack.indexOf(inst), 1);
  }
});
