import { PeerError, peerRequest } from '../../peers/http-client';
import type { WechatConfig } from '../../config/channels';
import { ChannelRejectedError, type ChannelUser, type MessageInput, type MessageResult } from '../port';
import { templateData } from '../template-data';
import type { TokenCache } from '../tokens';

interface WxAnswer {
  errcode?: number;
  errmsg?: string;
}

/** access_token problems: drop the cached token and ask once more */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** the patient cannot receive this message: record it, never retry */
const UNDELIVERABLE = new Set([43101, 40003, 40037, 47003, 43107, 43108]);

/** api.weixin.qq.com: code2Session, stable_token (cached), subscribe/send. Answers carry errcode, not HTTP status. */
export class WechatMiniProgram {
  constructor(
    private readonly cfg: WechatConfig,
    private readonly tokens: TokenCache,
  ) {}

  private url(path: string): string {
    return this.cfg.apiBaseUrl.replace(/\/+$/, '') + path;
  }

  private async get<T extends WxAnswer>(op: string, path: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<T> {
    const res = await peerRequest({
      peer: 'wechat-api',
      op,
      url: this.url(path),
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.cfg.timeoutMs,
    });
    try {
      return JSON.parse(res.text()) as T;
    } catch {
      throw new PeerError('wechat-api', op, 'broken', 'unreadable answer', res.status, res.text().slice(0, 200));
    }
  }

  /** wx.login code → openid. session_key stays here: it is neither returned nor stored. */
  async code2Session(code: string): Promise<ChannelUser> {
    const q = new URLSearchParams({ appid: this.cfg.appId, secret: this.cfg.appSecret, js_code: code, grant_type: 'authorization_code' });
    const r = await this.get<WxAnswer & { openid?: string; unionid?: string; session_key?: string }>('jscode2session', `/sns/jscode2session?${q}`);
    if (r.errcode || !r.openid) throw new ChannelRejectedError('wechat', 'login', String(r.errcode ?? 'NO_OPENID'), r.errmsg ?? 'no openid');
    return r.unionid ? { openId: r.openid, unionId: r.unionid } : { openId: r.openid };
  }

  private get tokenKey(): string {
    return `wechat:access_token:${this.cfg.appId}`;
  }

  async accessToken(fresh = false): Promise<string> {
    if (!fresh) {
      const cached = await this.tokens.get(this.tokenKey);
      if (cached) return cached;
    }
    // force_refresh stays false: the stable token is shared, a forced refresh is limited per day.
    const r = await this.get<WxAnswer & { access_token?: string; expires_in?: number }>('stable_token', '/cgi-bin/stable_token', 'POST', {
      grant_type: 'client_credential',
      appid: this.cfg.appId,
      secret: this.cfg.appSecret,
      force_refresh: false,
    });
    if (r.errcode || !r.access_token) throw new ChannelRejectedError('wechat', 'stable_token', String(r.errcode ?? 'NO_TOKEN'), r.errmsg ?? 'no token');
    // stored five minutes less than WeChat keeps it: in normal mode the platform renews it 5 minutes
    // early and keeps old and new valid meanwhile (getStableAccessToken; sources in ../token-cache.ts)
    await this.tokens.set(this.tokenKey, r.access_token, Math.max(60, (r.expires_in ?? 7200) - 300));
    return r.access_token;
  }

  async sendSubscribe(q: MessageInput): Promise<MessageResult> {
    const data = templateData(this.cfg.subscribeTemplateKeys, q.fields);
    const body = {
      touser: q.openId,
      template_id: this.cfg.subscribeTemplates[q.template],
      page: q.page,
      miniprogram_state: this.cfg.miniprogramState,
      lang: 'zh_CN',
      data,
    };
    let r = await this.send(await this.accessToken(), body);
    if (r.errcode && TOKEN_ERRORS.has(r.errcode)) {
      await this.tokens.set(this.tokenKey, '', 0);
      r = await this.send(await this.accessToken(true), body);
    }
    const code = r.errcode ?? 0;
    if (code === 0) return r.msgid === undefined ? { status: 'sent' } : { status: 'sent', messageId: String(r.msgid) };
    if (UNDELIVERABLE.has(code)) return { status: 'undeliverable', code: String(code), message: r.errmsg ?? '' };
    return { status: 'retry', code: String(code), message: r.errmsg ?? '' };
  }

  private send(token: string, body: unknown): Promise<WxAnswer & { msgid?: number | string }> {
    return this.get('subscribe-send', `/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, 'POST', body);
  }
}
