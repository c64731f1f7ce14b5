import crypto from 'node:crypto';
import { personByAlipayUserId } from '../seed/persons';
import { issuePayAuth } from '../wechat/national-client';
import { bizError, type AlipayCtx, type MethodCall, type MethodResult } from './context';
import { chinaNow } from './crypto';
import { identityFields, isRefusal, userFromRequest } from './users';

const TOKEN_TTL_S = 1_296_000;

/** alipay.system.oauth.token: grant_type + code are public parameters; errors come as error_response. */
export function oauthToken(w: AlipayCtx, c: MethodCall): MethodResult {
  if (c.params.grant_type !== 'authorization_code') {
    return { ok: false, code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.grant-type-invalid', sub_msg: 'grant_type 无效', asErrorResponse: true };
  }
  const rec = c.params.code ? w.state.authCodes.get(c.params.code) : undefined;
  if (!rec || rec.used || rec.expiresAt < Date.now()) {
    return { ok: false, code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.code-invalid', sub_msg: '授权码code无效', asErrorResponse: true };
  }
  rec.used = true;
  const token = `authusrB${crypto.randomBytes(16).toString('hex')}`;
  w.state.tokens.set(token, { userId: rec.userId, scopes: rec.scopes, expiresAt: Date.now() + TOKEN_TTL_S * 1000 });
  return {
    ok: true,
    body: {
      access_token: token,
      // user_id or open_id by the app's mode (users.ts)
      ...identityFields(w, rec.userId),
      expires_in: TOKEN_TTL_S,
      re_expires_in: TOKEN_TTL_S * 2,
      refresh_token: `authusrR${crypto.randomBytes(16).toString('hex')}`,
      auth_start: chinaNow(),
    },
  };
}

/** alipay.commerce.medical.authinfo.auth.query: auth_url until the patient authorized, then pay_auth_no. */
export async function authInfoQuery(w: AlipayCtx, c: MethodCall): Promise<MethodResult> {
  const who = userFromRequest(w, c.biz, { userId: 'alipay_user_id', openId: 'open_id' });
  if (isRefusal(who)) return who;
  const userId = who.userId;
  const token = c.params.auth_token ? w.state.tokens.get(c.params.auth_token) : undefined;
  if (!token || token.expiresAt < Date.now() || token.userId !== userId) return bizError('isv.invalid-auth-token', '用户授权令牌无效或与请求的用户不一致', '40002');
  if (!token.scopes.includes('nhsamp')) return bizError('isv.insufficient-user-auths', '用户未授权 nhsamp（医保）权限', '40006');
  for (const f of ['call_url', 'ol_biz_type_code', 'org_app_id', 'org_chnl_crtf_code', 'org_code'] as const) {
    if (!c.biz[f]) return bizError('INVALID_PARAMETER', `${f} 不能为空`, '40002');
  }
  const reqBizNo = String(c.biz.req_biz_no ?? '');
  if (!w.state.voucherAuthorized.has(userId)) {
    const q = new URLSearchParams({ user_id: userId, call_url: String(c.biz.call_url) });
    return { ok: true, body: { data: { auth_stas: '0', auth_url: `${c.origin}/sandbox/voucher?${q}`, req_biz_no: reqBizNo, openapi_app_id: w.cfg.appId } } };
  }
  const person = personByAlipayUserId(userId);
  if (!person) return bizError('MEDICAL_CARD_NOT_EXIST', '用户未申领医保电子凭证');
  let issued: { payAuthNo: string };
  try {
    issued = await issuePayAuth(w.cfg.urls.national, { idNo: person.idNo, name: person.name, channel: 'alipay' });
  } catch (err) {
    return bizError('isp.unknow-error', `医保平台繁忙: ${(err as Error).message}`, '20000');
  }
  const medicalCardId = `MC${person.idNo.slice(0, 6)}${person.key}`;
  w.state.payAuths.set(issued.payAuthNo, { userId, medicalCardId });
  return {
    ok: true,
    body: {
      data: {
        auth_no: `AN${Date.now()}`,
        auth_stas: '1',
        auth_time: chinaNow(),
        pay_auth_no: issued.payAuthNo,
        medical_card_id: medicalCardId,
        medical_card_inst_id: 'NATHSA',
        medical_card_status: 'ACTIVE',
        insu_org: person.insurance[0]?.regionCode ?? '',
        rels_pay_flag: '0',
        req_biz_no: reqBizNo,
        openapi_app_id: w.cfg.appId,
      },
    },
  };
}

/** alipay.open.app.mini.templatemessage.send: one message per one-time subscription. */
export function templateMessageSend(w: AlipayCtx, c: MethodCall): MethodResult {
  const who = userFromRequest(w, c.biz, { userId: 'to_user_id', openId: 'to_open_id' });
  if (isRefusal(who)) return who;
  const to = who.userId;
  const tpl = String(c.biz.user_template_id ?? '');
  if (!tpl || (w.cfg.subscribeTemplateIds.length && !w.cfg.subscribeTemplateIds.includes(tpl))) return bizError('USER_TEMPLATE_ILLEGAL', '模板不存在或不可用');
  let data: unknown;
  try {
    data = JSON.parse(String(c.biz.data ?? ''));
  } catch {
    return bizError('INVALID_PARAMETER', 'data 须为 JSON 字符串', '40002');
  }
  if (!w.state.subscriptions.consume(to, tpl)) return bizError('USER_NOT_SUBSCRIBED', '用户未订阅该消息模板');
  const named = c.biz.to_user_id ? { to_user_id: String(c.biz.to_user_id) } : { to_open_id: String(c.biz.to_open_id) };
  w.state.messages.push({ user_id: to, ...named, user_template_id: tpl, page: c.biz.page as string | undefined, data, at: new Date().toISOString() });
  return { ok: true, body: {} };
}
