import crypto from 'node:crypto';
import { PeerError, peerRequest } from '../../peers/http-client';
import type { AlipayConfig } from '../../config/channels';
import { ChannelRejectedError, ChannelSignatureError } from '../port';
import { plainChina } from '../time';
import { topLevelMembers } from './json-text';
import { loadPrivateKey, loadPublicKey, rsa2Sign, rsa2Verify, signContent } from './sign';

export type AlipayResponse = Record<string, unknown> & { code?: string; msg?: string; sub_code?: string; sub_msg?: string };

/** A refusal from the gateway; `gatewayCode` is the top-level code (40004 business, 20000 unavailable…). */
export class AlipayRejectedError extends ChannelRejectedError {
  constructor(op: string, readonly gatewayCode: string, subCode: string | undefined, message: string) {
    super('alipay', op, subCode ?? gatewayCode, message);
    this.name = 'AlipayRejectedError';
  }

  /** 20000 / isp.*: Alipay's own trouble, the outcome may be unknown */
  get systemError(): boolean {
    return this.gatewayCode === '20000' || this.code.startsWith('isp.') || /SYSTEM_ERROR/i.test(this.code);
  }
}

/**
 * The v2 gateway (gateway.do): our own RSA2 signing of the public + business parameters, and
 * verification of `sign` over the exact text of the `*_response` member before it is believed.
 */
export class AlipayGateway {
  readonly appKey: crypto.KeyObject;
  readonly alipayKey: crypto.KeyObject;

  constructor(private readonly cfg: AlipayConfig, private readonly now: () => number = Date.now) {
    this.appKey = loadPrivateKey(cfg.appPrivateKeyPem);
    this.alipayKey = loadPublicKey(cfg.alipayPublicKeyPem);
  }

  /** The signed parameter set of one call (exposed for tests against alipay-sdk). */
  signedParams(method: string, extra: Record<string, string>, biz?: Record<string, unknown>, timestamp = plainChina(new Date(this.now()))): Record<string, string> {
    const params: Record<string, string> = {
      app_id: this.cfg.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp,
      version: '1.0',
      ...extra,
    };
    if (biz) params.biz_content = JSON.stringify(biz);
    params.sign = rsa2Sign(signContent(params), this.appKey);
    return params;
  }

  async call(method: string, opts: { biz?: Record<string, unknown>; params?: Record<string, string>; op?: string } = {}): Promise<AlipayResponse> {
    const op = opts.op ?? method;
    const params = this.signedParams(method, opts.params ?? {}, opts.biz);
    const res = await peerRequest({
      peer: 'alipay',
      op,
      url: this.cfg.gatewayUrl,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      timeoutMs: this.cfg.timeoutMs,
    });
    return this.verifyResponse(op, method, res.text());
  }

  verifyResponse(op: string, method: string, text: string): AlipayResponse {
    let members: Map<string, string>;
    try {
      members = topLevelMembers(text);
    } catch (err) {
      // unreadable: Alipay may or may not have acted
      throw new PeerError('alipay', op, 'broken', `unreadable answer: ${(err as Error).message}`, 200, text.slice(0, 200));
    }
    const key = `${method.replaceAll('.', '_')}_response`;
    const own = members.get(key);
    const valueText = own ?? members.get('error_response');
    if (valueText === undefined) throw new PeerError('alipay', op, 'broken', `answer lacks ${key}`, 200, text.slice(0, 200));
    const signText = members.get('sign');
    const sign = signText === undefined ? undefined : (JSON.parse(signText) as string);
    const data = JSON.parse(valueText) as AlipayResponse;
    // alipay.system.oauth.token answers without a code on success
    const ok = own !== undefined && (data.code === '10000' || (data.code === undefined && data.sub_code === undefined));
    if (sign !== undefined) {
      if (!rsa2Verify(valueText, sign, this.alipayKey)) throw new ChannelSignatureError('alipay', `${op} response sign does not verify`);
    } else if (ok) {
      throw new ChannelSignatureError('alipay', `${op} response is not signed`);
    }
    // An unsigned error can only make us fail; it never stands for a success.
    if (!ok) throw new AlipayRejectedError(op, String(data.code ?? 'UNKNOWN'), data.sub_code, String(data.sub_msg ?? data.msg ?? ''));
    return data;
  }

  async download(op: string, url: string): Promise<Buffer> {
    const res = await peerRequest({ peer: 'alipay', op, url, method: 'GET', timeoutMs: this.cfg.timeoutMs });
    return res.body;
  }
}
