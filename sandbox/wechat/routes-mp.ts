import crypto from 'node:crypto';
import type Router from '@koa/router';
import { readJson } from '../common/server';
import type { WechatCtx } from './context';
import { godPortalSignature } from './crypto';
import { underFaults } from './fault-run';
import { issuePayAuth } from './national-client';

const TOKEN_TTL_S = 7200;
/** where the sandbox people are (Guangzhou) when they authorize */
const LOCATION = { longitude: '113.264385', latitude: '23.129112' };

/** api.weixin.qq.com (jscode2session, stable_token, subscribe/send) and the tengmed userQuery. */
export function mountMiniProgram(router: Router, w: WechatCtx): void {
  const { cfg, state, faults } = w;

  router.get('/sns/jscode2session', async (ctx) => {
    const q = ctx.query as Record<string, string | undefined>;
    await underFaults(ctx, faults, 'jscode2session', q.js_code, () => {
      if (q.appid !== cfg.appId) return void (ctx.body = { errcode: 40013, errmsg: 'invalid appid' });
      if (q.secret !== cfg.appSecret) return void (ctx.body = { errcode: 40125, errmsg: 'invalid appsecret' });
      if (q.grant_type !== 'authorization_code') return void (ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' });
      const code = q.js_code ? state.loginCodes.get(q.js_code) : undefined;
      if (!code || code.expiresAt < Date.now()) return void (ctx.body = { errcode: 40029, errmsg: 'invalid code' });
      if (code.used) return void (ctx.body = { errcode: 40163, errmsg: 'code been used' });
      code.used = true;
      ctx.body = { openid: code.openid, session_key: crypto.randomBytes(16).toString('base64') };
    }, (r) => void (ctx.body = { errcode: Number(r.code ?? -1), errmsg: r.message ?? 'system error' }));
  });

  router.post('/cgi-bin/stable_token', async (ctx) => {
    const b = (await readJson(ctx.req)) as { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean };
    await underFaults(ctx, faults, 'stable_token', b.appid, () => {
      if (b.grant_type !== 'client_credential') return void (ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' });
      if (b.appid !== cfg.appId) return void (ctx.body = { errcode: 40013, errmsg: 'invalid appid' });
      if (b.secret !== cfg.appSecret) return void (ctx.body = { errcode: 40125, errmsg: 'invalid appsecret' });
      if (!state.token || state.token.expiresAt <= Date.now() || b.force_refresh) {
        state.token = { value: `sandbox-at-${crypto.randomBytes(24).toString('hex')}`, expiresAt: Date.now() + TOKEN_TTL_S * 1000 };
      }
      ctx.body = { access_token: state.token.value, expires_in: Math.floor((state.token.expiresAt - Date.now()) / 1000) };
    }, (r) => void (ctx.body = { errcode: Number(r.code ?? -1), errmsg: r.message ?? 'system error' }));
  });

  router.post('/cgi-bin/message/subscribe/send', async (ctx) => {
    const token = String(ctx.query.access_token ?? '');
    const b = (await readJson(ctx.req)) as { touser?: string; template_id?: string; page?: string; data?: unknown };
    await underFaults(ctx, faults, 'subscribe-send', b.touser, () => {
      if (!state.token || token !== state.token.value) return void (ctx.body = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      if (state.token.expiresAt <= Date.now()) return void (ctx.body = { errcode: 42001, errmsg: 'access_token expired' });
      if (!b.touser) return void (ctx.body = { errcode: 40003, errmsg: 'invalid openid' });
      if (!b.template_id || (cfg.subscribeTemplateIds.length && !cfg.subscribeTemplateIds.includes(b.template_id))) {
        return void (ctx.body = { errcode: 40037, errmsg: 'invalid template_id' });
      }
      if (typeof b.data !== 'object' || b.data === null) return void (ctx.body = { errcode: 47003, errmsg: 'argument invalid! data is empty' });
      if (!state.subscriptions.consume(b.touser, b.template_id)) return void (ctx.body = { errcode: 43101, errmsg: 'user refuse to accept the msg' });
      const msgid = 2_000_000_000 + state.next();
      state.messages.push({ msgid, touser: b.touser, template_id: b.template_id, page: b.page, data: b.data, at: new Date().toISOString() });
      ctx.body = { errcode: 0, errmsg: 'ok', msgid };
    }, (r) => void (ctx.body = { errcode: Number(r.code ?? -1), errmsg: r.message ?? 'system error' }));
  });

  /** Tencent med-ins user query: authCode (qrcode) + openid → payAuthNo from the centre. */
  router.post('/api/mipuserquery/userQuery/:partnerId', async (ctx) => {
    const b = (await readJson(ctx.req)) as { qrcode?: string; openid?: string };
    await underFaults(ctx, faults, 'user-query', b.openid, async () => {
      const ts = String(ctx.get('god-portal-timestamp'));
      const sig = String(ctx.get('god-portal-signature'));
      if (ctx.params.partnerId !== cfg.mipPartnerId) return void (ctx.body = { code: 1001, message: 'partnerId 不存在' });
      if (!/^\d{13}$/.test(ts) || Math.abs(Date.now() - Number(ts)) > 300_000) return void (ctx.body = { code: 1002, message: 'god-portal-timestamp 无效或已过期' });
      if (sig !== godPortalSignature(cfg.mipPartnerSecret, cfg.mipPartnerId, ts)) return void (ctx.body = { code: 1003, message: '签名校验失败' });
      const auth = b.qrcode ? state.authCodes.get(b.qrcode) : undefined;
      if (!auth || auth.expiresAt < Date.now()) return void (ctx.body = { code: 2001, message: '授权码无效或已过期' });
      if (auth.used) return void (ctx.body = { code: 2002, message: '授权码已使用' });
      if (auth.openid !== b.openid) return void (ctx.body = { code: 2003, message: 'openid 与授权用户不一致' });
      let issued: { payAuthNo: string };
      try {
        issued = await issuePayAuth(cfg.urls.national, { idNo: auth.person.idNo, name: auth.person.name, channel: 'wechat' });
      } catch (err) {
        return void (ctx.body = { code: 5000, message: `医保平台繁忙: ${(err as Error).message}` });
      }
      auth.used = true;
      state.payAuths.set(issued.payAuthNo, { openid: auth.openid, person: auth.person, ...(auth.holder ? { holder: auth.holder } : {}) });
      // 亲情付: the authorization is for the relative (the patient), the user is the voucher holder
      const user = auth.holder ?? auth.person;
      ctx.body = {
        code: 0,
        message: 'success',
        data: {
          ...(auth.holder ? { familyPayAuthNo: issued.payAuthNo } : { payAuthNo: issued.payAuthNo }),
          userName: user.name,
          userCardNo: user.idNo,
          idType: '01',
          cityId: auth.person.insurance[0]?.regionCode ?? '',
          userLongitudeLatitude: LOCATION,
        },
      };
    }, (r) => void (ctx.body = { code: Number(r.code ?? 5000), message: r.message ?? '系统繁忙' }));
  });
}
