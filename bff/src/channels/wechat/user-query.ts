import crypto from 'node:crypto';
import { PeerError, peerRequest } from '../../peers/http-client';
import type { WechatConfig } from '../../config/channels';
import { ChannelRejectedError, type InsuranceAuthorization } from '../port';

type Rec = Record<string, unknown>;

/** payAuthNo lives a few minutes at the centre; we keep a margin. */
const PAY_AUTH_TTL_SECONDS = 240;

/**
 * Tencent med-ins "userQuery": the authCode the e-voucher authorization mini-program handed back,
 * plus the patient's openid → payAuthNo, the payer and the location reported with it.
 * Headers: god-portal-timestamp (ms), god-portal-signature = hex(HMAC-SHA256(secret, partnerId + timestamp)),
 * god-portal-request-id.
 */
export async function userQuery(cfg: WechatConfig, authCode: string, openId: string, now = Date.now()): Promise<InsuranceAuthorization> {
  const timestamp = String(now);
  const signature = crypto.createHmac('sha256', cfg.mipPartnerSecret).update(cfg.mipPartnerId + timestamp).digest('hex');
  const url = `${cfg.mipBaseUrl.replace(/\/+$/, '')}/api/mipuserquery/userQuery/${encodeURIComponent(cfg.mipPartnerId)}`;
  const res = await peerRequest({
    peer: 'wechat-mip',
    op: 'userQuery',
    url,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'god-portal-timestamp': timestamp,
      'god-portal-signature': signature,
      'god-portal-request-id': crypto.randomUUID(),
    },
    body: JSON.stringify({ qrcode: authCode, openid: openId }),
    timeoutMs: cfg.timeoutMs,
    acceptStatus: (s) => s >= 400 && s < 500,
  });
  let top: Rec;
  try {
    top = JSON.parse(res.text()) as Rec;
  } catch {
    throw new PeerError('wechat-mip', 'userQuery', 'broken', 'unreadable answer', res.status, res.text().slice(0, 200));
  }
  const code = top.code ?? top.errcode ?? top.err_code;
  if ((code !== undefined && String(code) !== '0') || res.status >= 400 || top.success === false) {
    throw new ChannelRejectedError('wechat', 'userQuery', String(code ?? `HTTP_${res.status}`), String(top.message ?? top.msg ?? top.errmsg ?? ''));
  }
  const d = (isRec(top.data) ? top.data : top) as Rec;
  const familyNo = text(d, 'familyPayAuthNo', 'family_pay_auth_no');
  const payAuthNo = familyNo ?? text(d, 'payAuthNo', 'pay_auth_no', 'authNo', 'auth_no');
  if (!payAuthNo || !payAuthNo.startsWith('AUTH')) {
    throw new ChannelRejectedError('wechat', 'userQuery', 'INVALID_PAY_AUTH_NO', 'the answer carries no AUTH… pay authorization number');
  }
  const name = text(d, 'userName', 'user_name');
  const idNo = text(d, 'userCardNo', 'user_card_no', 'idCard', 'id_card');
  const location = lngLat(d.userLongitudeLatitude ?? d.user_longitude_latitude);
  return {
    status: 'authorized',
    payAuthNo,
    expiresInSeconds: PAY_AUTH_TTL_SECONDS,
    payer: { ...(name ? { name } : {}), ...(idNo ? { idNo } : {}), familyPay: familyNo !== undefined },
    ...(location ? { location } : {}),
  };
}

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(d: Rec, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = d[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

/** {longitude, latitude} as an object or a JSON string → "lng,lat" */
function lngLat(v: unknown): string | undefined {
  let o: unknown = v;
  if (typeof v === 'string') {
    try {
      o = JSON.parse(v);
    } catch {
      return /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(v) ? v : undefined;
    }
  }
  if (!isRec(o)) return undefined;
  const lng = String(o.longitude ?? '');
  const lat = String(o.latitude ?? '');
  return /^-?\d+(\.\d+)?$/.test(lng) && /^-?\d+(\.\d+)?$/.test(lat) ? `${lng},${lat}` : undefined;
}
