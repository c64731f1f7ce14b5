import type { AlipayConfig } from '../../config/channels';
import { ChannelRejectedError } from '../port';

/**
 * The user_id / open_id modes. alipay.system.oauth.token answers `user_id` ("支付宝用户的唯一标识。以2088
 * 开头的16位数字") or `open_id` (AJ = alipay/alipay-sdk-java-all, v2/src/main/java/com/alipay/api/
 * response/AlipaySystemOauthTokenResponse.java; its `alipay_user_id` is "已废弃"). Every API that names
 * a user has a field per mode; only the configured one is ever sent.
 */
export type UserIdType = AlipayConfig['userIdType'];

/** AJ domain/AlipayCommerceMedicalAuthinfoAuthQueryModel.java and …MedicalTradeCreateandpayModel.java */
export const medicalUserField = (t: UserIdType): 'alipay_user_id' | 'open_id' => (t === 'user_id' ? 'alipay_user_id' : 'open_id');

/** AJ domain/AlipayOpenAppMiniTemplatemessageSendModel.java */
export const messageUserField = (t: UserIdType): 'to_user_id' | 'to_open_id' => (t === 'user_id' ? 'to_user_id' : 'to_open_id');

/** 2088 + 12 digits (AJ AlipayCommerceMedicalTradeCreateandpayModel.java alipay_user_id: "2088开头的16为数字") */
export const USER_ID = /^2088\d{12}$/;

/** The oauth.token answer's identifier for the configured mode; the other one is never taken instead. */
export function userOf(r: Record<string, unknown>, t: UserIdType): { id: string; unionId?: string } {
  const unionId = typeof r.union_id === 'string' && r.union_id ? r.union_id : undefined;
  if (t === 'user_id') {
    const id = r.user_id;
    if (typeof id !== 'string' || !USER_ID.test(id)) {
      throw new ChannelRejectedError('alipay', 'oauth.token', 'NO_USER_ID', r.open_id ? 'the app gets open_id, but is configured for user_id' : 'the answer names no user_id');
    }
    return { id, ...(unionId ? { unionId } : {}) };
  }
  const id = r.open_id;
  if (typeof id !== 'string' || !id) {
    throw new ChannelRejectedError('alipay', 'oauth.token', 'NO_OPEN_ID', r.user_id ? 'the app gets user_id, but is configured for open_id' : 'the answer names no open_id');
  }
  return { id, ...(unionId ? { unionId } : {}) };
}
