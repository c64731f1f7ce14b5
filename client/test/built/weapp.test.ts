/**
 * Loads the BUILT WeChat package (client/dist/weapp) with miniprogram-simulate: App/Page are
 * shimmed (a Page becomes a Component whose `attached` sets the route and calls onLoad), wx is
 * miniprogram-simulate's API mock with storage and a canned BFF behind wx.request. Every page in
 * app.json must register and render its first data. Skips only when the build output is missing.
 */
import fs from 'fs';
import path from 'path';
import { PAGE_TEXT, answer } from './bff-fake';

const dist = path.resolve(__dirname, '../../dist/weapp');
const built = fs.existsSync(path.join(dist, 'app.js'));
if (!built) console.warn(`SKIPPED: ${dist}/app.js not found — run \`npm run build:weapp -w @mip/client\` first`);
const describeBuilt = built ? describe : describe.skip;

type Inst = { route?: string; __route__?: string; options?: Record<string, string> } & Record<string, unknown>;

describeBuilt('built WeChat package (dist/weapp)', () => {
  let simulate: any;
  let appConfig: { pages: string[]; window?: unknown };
  const pagesStack: Inst[] = [];
  let currentRoute = '';
  const storage = new Map<string, unknown>();
  const requests: string[] = [];

  beforeAll(() => {
    simulate = require('miniprogram-simulate');
    const api = require('miniprogram-simulate/src/api');
    appConfig = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'));
    const g = global as any;
    g.wx = {
      ...api,
      getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
      setStorageSync: (k: string, v: unknown) => storage.set(k, v),
      removeStorageSync: (k: string) => storage.delete(k),
      getStorage: (o: any) => setTimeout(() => (storage.has(o.key) ? o.success?.({ data: storage.get(o.key) }) : o.fail?.({ errMsg: 'getStorage:fail' })), 0),
      setStorage: (o: any) => {
        storage.set(o.key, o.data);
        setTimeout(() => o.success?.({ errMsg: 'setStorage:ok' }), 0);
      },
      login: (o: any) => setTimeout(() => { o.success?.({ code: 'wx-code-1', errMsg: 'login:ok' }); o.complete?.(); }, 0),
      request: (o: any) => {
        requests.push(`${o.method} ${o.url}`);
        const r = answer(o.method, o.url);
        setTimeout(() => {
          o.success?.({ ...r, header: {}, errMsg: 'request:ok' });
          o.complete?.({ ...r, header: {}, errMsg: 'request:ok' });
        }, 1);
        return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
      },
      navigateTo: (o: any) => setTimeout(() => o?.success?.({ errMsg: 'navigateTo:ok' }), 0),
      redirectTo: (o: any) => setTimeout(() => o?.success?.({ errMsg: 'redirectTo:ok' }), 0),
      reLaunch: (o: any) => setTimeout(() => o?.success?.({ errMsg: 'reLaunch:ok' }), 0),
    };
    let app: any = null;
    g.App = (cfg: any) => {
      app = cfg;
    };
    g.getApp = () => app;
    g.getCurrentPages = () => pagesStack;
    g.requirePlugin = () => ({});
    g.Page = (cfg: Record<string, unknown>) => {
      const methods: Record<string, unknown> = {};
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(cfg)) {
        if (k === 'data') continue;
        if (typeof v === 'function') methods[k] = v;
        else fields[k] = v;
      }
      g.Component({
        data: (cfg.data as object) ?? {},
        methods,
        lifetimes: {
          attached(this: Inst) {
            Object.assign(this, fields);
            this.route = currentRoute;
            this.__route__ = currentRoute;
            this.options = {};
            pagesStack.push(this);
            (cfg.onLoad as Function)?.call(this, {});
            (cfg.onShow as Function)?.call(this);
            (cfg.onReady as Function)?.call(this);
          },
          detached(this: Inst) {
            (cfg.onUnload as Function)?.call(this);
            pagesStack.splice(pagesStack.indexOf(this), 1);
          },
        },
      });
    };
    // app.js registers the App (Taro mounts React in onLaunch)
    require(path.join(dist, 'app.js'));
    expect(app).toBeTruthy();
    app.onLaunch?.call(app, { path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} });
    app.onShow?.call(app, { path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} });
  });

  // a page's chunk runs once (webpack skips installed chunks), so each page is loaded once
  const loaded = new Map<string, string>();
  async function renderPage(route: string) {
    currentRoute = route;
    if (!loaded.has(route)) loaded.set(route, simulate.load(path.join(dist, route), route.replace(/\W/g, '-'), { rootPath: dist, compiler: 'official' }));
    const id = loaded.get(route);
    const comp = simulate.render(id);
    const parent = document.createElement('div');
    document.body.appendChild(parent);
    comp.attach(parent);
    const want = PAGE_TEXT[route];
    const deadline = Date.now() + 8000;
    let text = '';
    while (Date.now() < deadline) {
      await simulate.sleep(60);
      text = comp.dom.textContent ?? '';
      if (want && want.test(text)) break;
    }
    return { comp, text };
  }

  test('lists every page of the app config', () => {
    expect(appConfig.pages).toEqual(Object.keys(PAGE_TEXT));
    for (const p of appConfig.pages) {
      for (const ext of ['js', 'wxml', 'json']) expect(fs.existsSync(path.join(dist, `${p}.${ext}`))).toBe(true);
    }
  });

  test.each(Object.keys(PAGE_TEXT))('registers and renders %s', async (route) => {
    const { comp, text } = await renderPage(route);
    expect(text).toMatch(PAGE_TEXT[route]);
    comp.detach();
  });

  test('home page carries ids and aria labels into the WXML output and reacts to a tap', async () => {
    const { comp, text } = await renderPage('pages/index/index');
    expect(text).toMatch(/第一步：核验医保身份/);
    const toggle = comp.querySelector('#large-text-toggle');
    expect(toggle).toBeTruthy();
    // the simulator drops aria-* from its DOM; the template binds them and the page data carries them
    expect(fs.readFileSync(path.join(dist, 'base.wxml'), 'utf8')).toMatch(/<button[^>]*aria-label="\{\{i\.p\d+/);
    expect(JSON.stringify(comp.instance.data)).toContain('大字模式已关闭，点按开启');
    expect(comp.dom.innerHTML).not.toContain('page--large');
    toggle.dispatchEvent('tap');
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline && !comp.dom.innerHTML.includes('page--large')) await simulate.sleep(50);
    expect(comp.dom.innerHTML).toContain('page--large');
    expect(requests).toEqual(expect.arrayContaining(['GET https://mip-bff.hospital.example.cn/api/config']));
    comp.detach();
  });

  test('keeps the main package under 500 KiB (subpackages, license notices and source maps not counted)', () => {
    const subs: string[] = ((JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')).subPackages ?? []) as { root: string }[]).map((x) => x.root.replace(/^\/+|\/+$/g, ''));
    const size = (dir: string): number =>
      fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
        const full = path.join(dir, e.name);
        const rel = path.relative(dist, full).split(path.sep).join('/');
        if (subs.some((r) => rel === r || rel.startsWith(`${r}/`)) || rel.endsWith('.LICENSE.txt') || rel.endsWith('.map')) return n;
        return n + (e.isDirectory() ? size(full) : fs.statSync(full).size);
      }, 0);
    expect(size(dist)).toBeLessThan(500 * 1024);
  });
});
