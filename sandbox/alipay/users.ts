import crypto from 'node:crypto';
import { bizError, type AlipayCtx, type MethodResult } from './context';

/**
 * The app's user identifier mode, as Alipay runs it. alipay.system.oauth.token answers `user_id`
 * ("以2088开头的16位数字") or `open_id` ("支付宝用户唯一标识") — AJ = alipay/alipay-sdk-java-all
 * v2/src/main/java/com/alipay/api/response/AlipaySystemOauthTokenResponse.java; an app moved to openid
 * knows its users by open_id only (public-rules-2026-12.md item 18). Every API naming a user has one
 * field per mode (AJ domain/AlipayCommerceMedicalAuthinfoAuthQueryModel.java and
 * …MedicalTradeCreateandpayModel.java: alipay_user_id | open_id; AlipayOpenAppMiniTemplatemessageSendModel.java:
 * to_user_id | to_open_id). The sandbox refuses the other mode's field, and a value of the wrong kind.
 * Internally every user is the 2088… id of the seed persons.
 */
const USER_ID = /^2088\d{12}$/;

/** The open_id this app sees for a user: stable per app and user, never a 2088… number. */
export function openIdOf(appId: string, userId: string): string {
  return `0${crypto.createHash('sha256').update(`${appId}:${userId}`).digest('hex').slice(0, 39)}`;
}

export class UserDirectory {
  private readonly byOpenId = new Map<string, string>();

  constructor(private readonly appId: string) {}

  openId(userId: string): string {
    const o = openIdOf(this.appId, userId);
    this.byOpenId.set(o, userId);
    return o;
  }

  userOfOpenId(openId: string): string | undefined {
    return this.byOpenId.get(openId);
  }
}

/** What oauth.token tells the app about the user, by mode. */
export function identityFields(w: AlipayCtx, userId: string): Record<string, string> {
  return w.cfg.userIdType === 'user_id' ? { user_id: userId } : { open_id: w.users.openId(userId) };
}

/** The identifier the app should hold for a user (the dev endpoints report it). */
export function appUserId(w: AlipayCtx, userId: string): string {
  return w.cfg.userIdType === 'user_id' ? userId : w.users.openId(userId);
}

/**
 * Reads the user of a request from the mode's field: `{ userId }` (the internal 2088… id) or the
 * refusal. Error format: gateway 40002 "Invalid Arguments" with sub_code/sub_msg (Alipay 公共错误码);
 * the sub_codes and texts are INFERRED ("openid参数值非法" is the text developers report).
 */
export function userFromRequest(w: AlipayCtx, biz: Record<string, unknown>, fields: { userId: string; openId: string }): { userId: string } | MethodResult {
  const mine = w.cfg.userIdType === 'user_id' ? fields.userId : fields.openId;
  const other = w.cfg.userIdType === 'user_id' ? fields.openId : fields.userId;
  if (biz[other] !== undefined && biz[other] !== '') {
    return bizError('INVALID_PARAMETER', `应用为 ${w.cfg.userIdType} 模式，不接受 ${other}，请传 ${mine}`, '40002');
  }
  const v = biz[mine];
  if (typeof v !== 'string' || !v) return bizError('INVALID_PARAMETER', `${mine} 不能为空`, '40002');
  if (w.cfg.userIdType === 'user_id') {
    if (!USER_ID.test(v)) return bizError('INVALID_PARAMETER', `${mine} 参数值非法：须为 2088 开头的 16 位数字`, '40002');
    return { userId: v };
  }
  const userId = w.users.userOfOpenId(v);
  if (!userId) return bizError('INVALID_PARAMETER', `openid参数值非法 (${mine})`, '40002');
  return { userId };
}

export const isRefusal = (r: { userId: string } | MethodResult): r is MethodResult => 'ok' in r;
