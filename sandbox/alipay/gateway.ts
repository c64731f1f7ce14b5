import type Koa from 'koa';
import type Router from '@koa/router';
import { readRaw } from '../common/server';
import type { FaultRule } from '../common/faults';
import { underFaults } from '../wechat/fault-run';
import type { AlipayCtx, MethodCall, MethodResult } from './context';
import { billDownloadUrl } from './methods-bill';
import { createAndPay, tradeQuery, tradeRefund } from './methods-trade';
import { plainCreate, plainQuery, plainRefund } from './methods-plain';
import { authInfoQuery, oauthToken, templateMessageSend } from './methods-user';

type Method = (w: AlipayCtx, c: MethodCall) => MethodResult | Promise<MethodResult>;

/** method → [fault op name, handler, fault key] */
const METHODS: Record<string, [string, Method, (c: MethodCall) => string | undefined]> = {
  'alipay.system.oauth.token': ['oauth.token', oauthToken, (c) => c.params.code],
  'alipay.commerce.medical.authinfo.auth.query': ['authinfo.auth.query', authInfoQuery, (c) => (c.biz.alipay_user_id ?? c.biz.open_id) as string],
  'alipay.commerce.medical.trade.createandpay': ['trade.createandpay', createAndPay, (c) => c.biz.out_trade_no as string],
  'alipay.commerce.medical.trade.query': ['trade.query', tradeQuery, (c) => c.biz.out_trade_no as string],
  'alipay.commerce.medical.trade.refund': ['trade.refund', tradeRefund, (c) => c.biz.out_trade_no as string],
  // 自费: the plain trade (methods-plain.ts)
  'alipay.trade.create': ['plain.create', plainCreate, (c) => c.biz.out_trade_no as string],
  'alipay.trade.query': ['plain.query', plainQuery, (c) => c.biz.out_trade_no as string],
  'alipay.trade.refund': ['plain.refund', plainRefund, (c) => c.biz.out_trade_no as string],
  'alipay.data.dataservice.bill.downloadurl.query': ['bill.downloadurl.query', billDownloadUrl, (c) => c.biz.bill_date as string],
  'alipay.open.app.mini.templatemessage.send': ['templatemessage.send', templateMessageSend, (c) => (c.biz.to_user_id ?? c.biz.to_open_id) as string],
};

function respond(w: AlipayCtx, ctx: Koa.Context, method: string, r: MethodResult): void {
  const key = r.ok || !r.asErrorResponse ? `${method.replaceAll('.', '_')}_response` : 'error_response';
  const payload = r.ok ? (method === 'alipay.system.oauth.token' ? r.body : { code: '10000', msg: 'Success', ...r.body }) : { code: r.code, msg: r.msg, sub_code: r.sub_code, sub_msg: r.sub_msg };
  ctx.status = 200;
  ctx.type = 'application/json;charset=utf-8';
  ctx.body = w.side.response(key, payload);
}

function faultResult(rule: FaultRule): MethodResult {
  const numeric = rule.code && /^\d+$/.test(rule.code);
  return {
    ok: false,
    code: numeric ? rule.code! : rule.code ? '40004' : '20000',
    msg: rule.code ? 'Business Failed' : 'Service Currently Unavailable',
    sub_code: !numeric && rule.code ? rule.code : 'isp.unknow-error',
    sub_msg: rule.message ?? '系统繁忙',
  };
}

/** openapi.alipay.com/gateway.do: public parameters in the query or the form, RSA2 checked, answers signed. */
export function mountGateway(router: Router, w: AlipayCtx): void {
  router.post('/gateway.do', async (ctx) => {
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(ctx.querystring)) params[k] = v;
    for (const [k, v] of new URLSearchParams((await readRaw(ctx.req)).toString('utf8'))) params[k] = v;
    const method = params.method ?? '';
    const entry = METHODS[method];
    const bad = (sub_code: string, sub_msg: string, code = '40002'): void =>
      respond(w, ctx, method || 'error', { ok: false, code, msg: 'Invalid Arguments', sub_code, sub_msg, asErrorResponse: !entry });
    if (!entry) return bad('isv.invalid-method', `不存在的方法名 ${method}`);
    if (params.app_id !== w.cfg.appId) return bad('isv.invalid-app-id', '无效的AppID参数');
    if (params.sign_type !== 'RSA2') return bad('isv.invalid-signature-type', '无效的签名类型');
    if (params.charset && params.charset.toLowerCase() !== 'utf-8') return bad('isv.invalid-charset', '字符集错误');
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp ?? '')) return bad('isv.invalid-timestamp', '非法的时间戳参数');
    if (!w.side.requestSignatureHolds(params)) return bad('isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    let biz: Record<string, unknown> = {};
    if (params.biz_content) {
      try {
        biz = JSON.parse(params.biz_content) as Record<string, unknown>;
      } catch {
        return bad('isv.invalid-biz-content', 'biz_content 不是合法的 JSON');
      }
    }
    const call: MethodCall = { params, biz, origin: w.cfg.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}` };
    const [op, handler, keyOf] = entry;
    await underFaults(ctx, w.faults, op, keyOf(call), async () => respond(w, ctx, method, await handler(w, call)), (rule) => respond(w, ctx, method, faultResult(rule)));
  });
}
