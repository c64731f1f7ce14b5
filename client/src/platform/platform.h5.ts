/**
 * H5 browser PREVIEW against the sandbox servers. It plays the WeChat client: login codes, the
 * e-voucher round trip and wx.requestMedicalInsurancePay come from the sandbox WeChat server's dev
 * endpoints (base URL from GET /api/config → sandbox.wechatUrl). A small on-page sheet imitates the
 * platform's confirm dialog so a person or a browser test chooses the outcome (stable ids:
 * #sim-auth-ok, #sim-auth-cancel, #sim-pay-ok, #sim-pay-fail, #sim-pay-cancel).
 *
 * ?patient=<key> (before or after the #) picks a sandbox person (openid sandbox-<key>); without
 * it the openid handed out by the sandbox is kept in localStorage so the browser stays one patient.
 */
import type { AppShowOptions, AuthCodeResult, ClientConfig, PayOutcome, PayParams, Platform } from './index';
import { mapPayFail } from './pay-errors';

const OPENID_KEY = 'mip.h5.openid';

export const NOT_A_SANDBOX_PERSON =
  '预览环境：没有指定沙箱里的就诊人，无法模拟医保电子凭证授权。请在网址后加上 ?patient=zhang（或 wang、chen、huang 等）后重新打开。';

/** What the preview did, for a browser test to read (window.__mipPreview). */
interface PreviewLog {
  subscribeRequests: string[][];
  payCalls: Array<{ mixTradeNo: string; outcome: string }>;
}

function log(): PreviewLog {
  const w = window as unknown as { __mipPreview?: PreviewLog };
  if (!w.__mipPreview) w.__mipPreview = { subscribeRequests: [], payCalls: [] };
  return w.__mipPreview;
}

export function patientParam(loc: { search: string; hash: string } = window.location): string | undefined {
  const fromSearch = new URLSearchParams(loc.search).get('patient');
  if (fromSearch) return fromSearch;
  const q = loc.hash.indexOf('?');
  if (q >= 0) {
    const fromHash = new URLSearchParams(loc.hash.slice(q + 1)).get('patient');
    if (fromHash) return fromHash;
  }
  return undefined;
}

let chosenPatient: string | undefined;
function patient(): string | undefined {
  // remembered for the whole run: the hash (and its query) changes with every page
  if (chosenPatient === undefined) chosenPatient = patientParam() ?? '';
  return chosenPatient || undefined;
}

function openid(): string | undefined {
  const p = patient();
  if (p) return `sandbox-${p}`;
  return window.localStorage.getItem(OPENID_KEY) ?? undefined;
}

function sandboxUrl(config: ClientConfig): string {
  const u = config.sandbox?.wechatUrl;
  if (!u) throw new Error('预览环境没有配置沙箱微信服务（/api/config 缺少 sandbox.wechatUrl）');
  return u.replace(/\/+$/, '');
}

async function post<T>(url: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new Error('连接沙箱微信服务失败，请检查沙箱是否已启动');
  }
  const data = (await res.json().catch(() => ({}))) as T;
  if (!res.ok) throw new SandboxHttpError(res.status);
  return data;
}

class SandboxHttpError extends Error {
  constructor(readonly status: number) {
    super(`沙箱微信服务返回错误（${status}）`);
  }
}

interface SheetButton {
  id: string;
  label: string;
  value: string;
  primary?: boolean;
}

/** what was typed in the sheet's input (the 亲情付 imitation asks which sandbox relative) */
let sheetInput = '';

/** The imitation of the platform's confirm dialog. Resolves with the chosen button's value. */
export function showSheet(title: string, lines: string[], buttons: SheetButton[], input?: { id: string; label: string }): Promise<string> {
  document.getElementById('sim-sheet')?.remove();
  return new Promise((resolve) => {
    const overlay = document.createElement('div');
    overlay.id = 'sim-sheet';
    overlay.className = 'sim-sheet';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-labelledby', 'sim-sheet-title');
    overlay.style.cssText =
      'position:fixed;left:0;right:0;top:0;bottom:0;z-index:10000;background:rgba(0,0,0,.55);display:flex;align-items:flex-end;justify-content:center;';
    const panel = document.createElement('div');
    panel.style.cssText =
      'box-sizing:border-box;width:100%;max-width:560px;background:#fff;color:#1a1a1a;border-radius:16px 16px 0 0;padding:20px 16px 28px;font-size:20px;line-height:1.5;';
    const h = document.createElement('div');
    h.id = 'sim-sheet-title';
    h.textContent = title;
    h.style.cssText = 'font-size:22px;font-weight:bold;margin-bottom:8px;';
    panel.appendChild(h);
    for (const line of lines) {
      const p = document.createElement('div');
      p.textContent = line;
      p.style.cssText = 'font-size:18px;color:#3d3d3d;margin-bottom:6px;';
      panel.appendChild(p);
    }
    if (input) {
      const field = document.createElement('input');
      field.id = input.id;
      field.setAttribute('aria-label', input.label);
      field.placeholder = input.label;
      field.style.cssText = 'display:block;box-sizing:border-box;width:100%;min-height:48px;font-size:20px;margin-top:8px;';
      panel.appendChild(field);
    }
    for (const b of buttons) {
      const btn = document.createElement('button');
      btn.id = b.id;
      btn.type = 'button';
      btn.textContent = b.label;
      btn.setAttribute('aria-label', b.label);
      btn.style.cssText = `display:block;box-sizing:border-box;width:100%;min-height:56px;margin-top:12px;border-radius:12px;font-size:20px;font-weight:bold;border:2px solid #0b5f45;${
        b.primary ? 'background:#0b5f45;color:#fff;' : 'background:#fff;color:#0b5f45;'
      }`;
      btn.addEventListener('click', () => {
        sheetInput = input ? ((document.getElementById(input.id) as HTMLInputElement | null)?.value ?? '').trim() : '';
        overlay.remove();
        resolve(b.value);
      });
      panel.appendChild(btn);
    }
    overlay.appendChild(panel);
    document.body.appendChild(overlay);
    (panel.querySelector('button') as HTMLButtonElement | null)?.focus();
  });
}

const h5: Platform = {
  apiBase: () => '',
  payChannelName: () => '微信支付',
  identityKey: () => patient() ?? 'default',

  async login(config: ClientConfig) {
    const base = sandboxUrl(config);
    const r = await post<{ code: string; openid: string }>(`${base}/sandbox/dev/login-code`, openid() ? { openid: openid() } : {});
    if (!patient() && r.openid) window.localStorage.setItem(OPENID_KEY, r.openid);
    if (!r.code) throw new Error('沙箱微信服务没有返回登录凭证');
    return { channel: 'wechat' as const, code: r.code };
  },

  async getInsuranceAuthCode(config: ClientConfig, opts?: { familyPay?: boolean }): Promise<AuthCodeResult> {
    const base = sandboxUrl(config);
    const family = opts?.familyPay === true;
    const choice = await showSheet(
      family ? '模拟医保电子凭证亲情付授权' : '模拟医保电子凭证授权',
      family
        ? ['预览环境：代替微信“医保电子凭证”小程序', '用您的医保电子凭证为家人授权医保支付（亲情付）', '请输入家人在预览环境中的代号（如 zhang）']
        : ['预览环境：代替微信“医保电子凭证”小程序', '授权医院使用您的医保电子凭证进行医保支付'],
      [
        { id: 'sim-auth-ok', label: '同意授权', value: 'ok', primary: true },
        { id: 'sim-auth-cancel', label: '取消', value: 'cancel' },
      ],
      family ? { id: 'sim-auth-relative', label: '家人代号' } : undefined,
    );
    let r: { authCode?: string; cancelled?: boolean };
    try {
      r = await post<{ authCode?: string; cancelled?: boolean }>(`${base}/sandbox/dev/insurance-auth`, {
        openid: openid(),
        outcome: choice === 'ok' ? 'ok' : 'cancel',
        ...(family && sheetInput ? { forPerson: sheetInput } : {}),
      });
    } catch (e) {
      // The sandbox issues e-voucher codes only to its own people (openid sandbox-<key>): an
      // anonymous preview openid gets a 404, which would reach the patient as "系统繁忙".
      if (e instanceof SandboxHttpError && e.status === 404) return { cancelled: true, message: NOT_A_SANDBOX_PERSON };
      throw e;
    }
    if (r.authCode) return { authCode: r.authCode };
    return { cancelled: true, message: '您取消了医保电子凭证授权' };
  },

  resumeInsuranceAuth: () => null,

  // the sandbox WeChat flow never redirects; nothing to open
  async openAuthUrl(): Promise<void> {},

  async requestSubscribe(config: ClientConfig): Promise<void> {
    log().subscribeRequests.push([...config.subscribeTemplateIds.wechat]);
  },

  async pay(params: PayParams, config: ClientConfig): Promise<PayOutcome> {
    if (params.channel !== 'wechat') return { outcome: 'fail', message: '支付方式与当前小程序不一致，请重新下单' };
    let base: string;
    try {
      base = sandboxUrl(config);
    } catch (e) {
      return { outcome: 'fail', message: (e as Error).message };
    }
    const choice = await showSheet('模拟微信医保支付', ['预览环境：代替 wx.requestMedicalInsurancePay', `医保订单 ${params.mixTradeNo}`], [
      { id: 'sim-pay-ok', label: '确认支付', value: 'ok', primary: true },
      { id: 'sim-pay-fail', label: '支付失败', value: 'fail' },
      { id: 'sim-pay-cancel', label: '取消', value: 'cancel' },
    ]);
    log().payCalls.push({ mixTradeNo: params.mixTradeNo, outcome: choice });
    if (choice === 'cancel') return { outcome: 'cancel' };
    try {
      const { channel: _channel, ...fields } = params;
      const r = await post<{ errMsg?: string }>(`${base}/sandbox/dev/pay`, { openid: openid(), ...fields, outcome: choice });
      if (r.errMsg === 'requestMedicalInsurancePay:ok') return { outcome: 'ok' };
      const mapped = mapPayFail(r.errMsg);
      // The person chose "支付失败" in the sheet ("取消" returned above): that is a failure even
      // though the sandbox's errMsg mentions it ("…:fail user cancelled or payment failed"),
      // which mapPayFail alone would read as a cancellation.
      if (choice === 'fail' && mapped.outcome === 'cancel') return { outcome: 'fail', message: '支付没有完成' };
      return mapped;
    } catch (e) {
      return { outcome: 'fail', message: (e as Error).message };
    }
  },

  onAppShow(_options: AppShowOptions | undefined): void {},
};

export default h5;
