import { bizError, type AlipayCtx, type MethodResult } from './context';
import { isRefusal, userFromRequest } from './users';

/**
 * What alipay.commerce.medical.trade.createandpay accepts, field by field. AJ = alipay/alipay-sdk-java-all
 * v2/src/main/java/com/alipay/api/: domain/AlipayCommerceMedicalTradeCreateandpayModel.java (the fields),
 * domain/InsurancePayExtendParams.java (extend_params), response/AlipayCommerceMedicalTradeCreateandpayResponse.java
 * (chrg_bch_no "order_type=INSURANCE_PAY时必填"). The model marks no other field required: the list
 * below is INFERRED (what a mixed insurance trade cannot do without) and configurable in the sandbox
 * (config.createandpay). Refusals use Alipay's error format: code 40002 + sub_code/sub_msg.
 */
export const MODEL_FIELDS = [
  'account_amount', 'alipay_user_id', 'callback_url', 'ch_info', 'chrg_bch_no', 'display_mode', 'extend_params',
  'gmt_out_create', 'gmt_time_expire', 'gov_amount', 'industry', 'insurance_pay_scene', 'med_org_ord', 'open_id',
  'order_type', 'org_no', 'other_amount', 'out_trade_no', 'pay_auth_no', 'pay_order_id', 'real_amount',
  'request_content', 'result_notify_url', 'shop_id', 'store_id', 'subject', 'subsidy_amount_params', 'total_amount',
] as const;

const EXTEND_FIELDS = ['medical_card_id', 'medical_card_inst_id', 'sys_service_provider_id'];

export interface CreateAndPayChecked {
  userId: string;
  medicalCardId: string;
}

const invalid = (msg: string) => bizError('INVALID_PARAMETER', msg, '40002');
const has = (v: unknown) => typeof v === 'string' && v !== '';

/** Every rule but the amounts (methods-trade.ts) and the idempotent repeat. */
export function checkCreateAndPay(w: AlipayCtx, b: Record<string, unknown>): CreateAndPayChecked | MethodResult {
  const rules = w.cfg.createandpay;
  // fields the model does not have (e.g. org_name) — the real gateway may ignore them; the sandbox
  // refuses them so a request that is not the model's never passes (configurable)
  if (rules.refuseUnknownFields) {
    const unknown = Object.keys(b).filter((k) => !(MODEL_FIELDS as readonly string[]).includes(k));
    if (unknown.length) return invalid(`不支持的参数 ${unknown.join(',')}`);
  }
  for (const f of rules.required) if (!has(b[f])) return invalid(`${f} 不能为空`);
  // order_type: Alipay's own values (INSURANCE_PAY per AJ; WeChat's REG_PAY/DIAG_PAY are not Alipay's)
  if (!rules.orderTypes.includes(String(b.order_type))) return invalid(`order_type 取值非法: ${String(b.order_type)}`);
  if (b.order_type === 'INSURANCE_PAY' && !has(b.chrg_bch_no)) return invalid('order_type=INSURANCE_PAY 时 chrg_bch_no 必填');
  // "平台分配给商户的门店ID，与store_id二选一" / "外部门店ID，与shop_id二选一"
  if (has(b.shop_id) === has(b.store_id)) return invalid('shop_id 与 store_id 二选一');
  const who = userFromRequest(w, b, { userId: 'alipay_user_id', openId: 'open_id' });
  if (isRefusal(who)) return who;
  const ext = b.extend_params;
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) return invalid('extend_params 不能为空');
  const e = ext as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => !EXTEND_FIELDS.includes(k));
  if (rules.refuseUnknownFields && extra.length) return invalid(`extend_params 不支持的参数 ${extra.join(',')}`);
  // "医保卡颁发机构编码；医保电子凭证为NATHSA"
  if (e.medical_card_inst_id !== 'NATHSA') return invalid('extend_params.medical_card_inst_id 须为 NATHSA');
  // "医保卡Id；即医保电子凭证授权码": the one given with this pay_auth_no (INFERRED: checked against the authorization)
  if (!has(e.medical_card_id)) return invalid('extend_params.medical_card_id 不能为空');
  if (!/^https?:\/\/[^\s]+$/.test(String(b.result_notify_url))) return invalid('result_notify_url 格式错误');
  const auth = w.state.payAuths.get(String(b.pay_auth_no));
  if (!String(b.pay_auth_no).startsWith('AUTH') || !auth) return bizError('PAY_AUTH_NO_INVALID', '医保支付授权码无效');
  if (auth.userId !== who.userId) return bizError('PAY_AUTH_NO_INVALID', '医保支付授权码与用户不一致');
  if (auth.medicalCardId !== e.medical_card_id) return bizError('MEDICAL_CARD_ID_INVALID', '医保电子凭证授权码与支付授权不一致');
  return { userId: who.userId, medicalCardId: auth.medicalCardId };
}
