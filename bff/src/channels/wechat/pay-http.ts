import crypto from 'node:crypto';
import { PeerError, peerRequest, type PeerResponse } from '../../peers/http-client';
import type { WechatConfig } from '../../config/channels';
import { ChannelRejectedError, ChannelSignatureError } from '../port';
import { authorization, WechatpayVerifier } from './v3-sign';
import { isRetryable, WechatPayRejected } from './errors';

export interface PayAnswer<T> {
  status: number;
  data: T;
}

/**
 * The api.mch.weixin.qq.com boundary: every request signed with the merchant key, every answer's
 * Wechatpay-Signature verified before its body is believed. 4xx answers become
 * ChannelRejectedError (code/message from the body); 5xx, timeouts and broken connections stay
 * PeerError so the caller knows the outcome is unknown.
 */
export class WechatPayHttp {
  private readonly privateKey: crypto.KeyObject;
  readonly verifier: WechatpayVerifier;

  constructor(
    private readonly cfg: WechatConfig,
    now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.privateKey = crypto.createPrivateKey(cfg.merchantPrivateKeyPem);
    this.verifier = new WechatpayVerifier(cfg.wechatpayPublicKeyId, cfg.wechatpayPublicKeyPem, cfg.platformCertificates, cfg.maxClockSkewSeconds, now);
  }

  get merchantKey(): crypto.KeyObject {
    return this.privateKey;
  }

  /**
   * One request, asked again with the same body (every call we make is idempotent by its
   * out_trade_no / out_refund_no) while WeChat Pay answers a rate limit or SYSTEM_ERROR
   * (errors.ts isRetryable): at most cfg.retry.attempts in all, exponential back-off.
   */
  async call<T>(op: string, method: 'GET' | 'POST', pathWithQuery: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<PayAnswer<T>> {
    const { attempts, baseMs, maxMs } = this.cfg.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce<T>(op, method, pathWithQuery, body, extraHeaders);
      } catch (err) {
        if (attempt >= attempts || !isRetryable(err)) throw err;
        await this.sleep(Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
      }
    }
  }

  private async callOnce<T>(op: string, method: 'GET' | 'POST', pathWithQuery: string, body: unknown, extraHeaders: Record<string, string>): Promise<PayAnswer<T>> {
    const url = this.cfg.payBaseUrl.replace(/\/+$/, '') + pathWithQuery;
    const text = body === undefined ? '' : JSON.stringify(body);
    const res = await this.send(op, method, url, text, extraHeaders);
    const raw = res.body;
    const reason = this.verifier.check(signatureHeaders(res), raw);
    if (res.status >= 400) {
      // An unsigned error can only make us fail, never believe a success; a signed one must verify.
      if (reason && res.headers.get('wechatpay-signature')) throw new ChannelSignatureError('wechat', `${op} error response: ${reason}`);
      const err = parseJson(raw) as { code?: string; message?: string } | undefined;
      const requestId = res.headers.get('request-id') ?? undefined;
      throw new WechatPayRejected(op, res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.text().slice(0, 200), requestId);
    }
    if (reason) throw new ChannelSignatureError('wechat', `${op} response: ${reason}`);
    const data = raw.length ? parseJson(raw) : undefined;
    // an answer we cannot read: WeChat Pay may or may not have acted
    if (raw.length && data === undefined) throw new PeerError('wechatpay', op, 'broken', 'unreadable answer', res.status, res.text().slice(0, 200));
    return { status: res.status, data: data as T };
  }

  /** A bill file: signed GET like any request; the stream itself carries no signature. */
  async download(op: string, downloadUrl: string): Promise<Buffer> {
    const res = await this.send(op, 'GET', downloadUrl, '', {});
    if (res.status >= 400) {
      const err = parseJson(res.body) as { code?: string; message?: string } | undefined;
      throw new ChannelRejectedError('wechat', op, err?.code ?? `HTTP_${res.status}`, err?.message ?? '');
    }
    return res.body;
  }

  private send(op: string, method: 'GET' | 'POST', url: string, text: string, extra: Record<string, string>): Promise<PeerResponse> {
    const u = new URL(url);
    const auth = authorization({
      mchId: this.cfg.mchId,
      serialNo: this.cfg.merchantSerialNo,
      privateKey: this.privateKey,
      method,
      pathWithQuery: u.pathname + u.search,
      body: text,
    });
    const headers: Record<string, string> = { authorization: auth, accept: 'application/json', 'user-agent': 'mip-bff/0.1', ...extra };
    if (method === 'POST') headers['content-type'] = 'application/json';
    return peerRequest({
      peer: 'wechatpay',
      op,
      url,
      method,
      headers,
      body: method === 'POST' ? text : undefined,
      timeoutMs: this.cfg.timeoutMs,
      acceptStatus: (s) => s >= 400 && s < 500,
    });
  }
}

export function signatureHeaders(res: { headers: Pick<Headers, 'get'> }): { timestamp?: string; nonce?: string; signature?: string; serial?: string } {
  const g = (n: string) => res.headers.get(n) ?? undefined;
  return { timestamp: g('wechatpay-timestamp'), nonce: g('wechatpay-nonce'), signature: g('wechatpay-signature'), serial: g('wechatpay-serial') };
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}
