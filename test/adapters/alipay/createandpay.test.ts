/**
 * The sandbox refuses a createandpay that is not AlipayCommerceMedicalTradeCreateandpayModel's
 * (alipay/alipay-sdk-java-all), with Alipay's error format. Requests are built here field by field,
 * not with the BFF's builder; the BFF's gateway only signs them.
 */
import { alipayAppUser, authorizeAlipay, startAlipayEnv, type AlipayEnv } from '../../support/channels/alipay-env';

let userEnv: AlipayEnv;
let openEnv: AlipayEnv;
beforeAll(async () => {
  [userEnv, openEnv] = await Promise.all([startAlipayEnv({ userIdType: 'user_id' }), startAlipayEnv({ userIdType: 'open_id' })]);
});
afterAll(async () => {
  await userEnv.close();
  await openEnv.close();
});

let seq = 0;
async function validBiz(env: AlipayEnv, personKey: string): Promise<Record<string, unknown>> {
  const auth = await authorizeAlipay(env, personKey);
  const no = `GHT${Date.now()}${++seq}`;
  return {
    out_trade_no: no,
    med_org_ord: no,
    pay_order_id: `ORD${no}`,
    pay_auth_no: auth.payAuthNo,
    org_no: 'H44010600001',
    order_type: 'INSURANCE_PAY',
    industry: 'HOSPITAL',
    insurance_pay_scene: 'OUTPATIENT',
    subject: '门诊缴费',
    total_amount: '30.00',
    gov_amount: '20.00',
    account_amount: '0.00',
    other_amount: '0.00',
    real_amount: '10.00',
    result_notify_url: 'https://hospital.example/notify/alipay/payment',
    gmt_out_create: '2026-12-06 10:00:00',
    store_id: 'MZ-01',
    chrg_bch_no: `${no}B1`,
    [env.cfg.userIdType === 'user_id' ? 'alipay_user_id' : 'open_id']: auth.openId,
    extend_params: { medical_card_inst_id: 'NATHSA', medical_card_id: auth.medicalCardId },
  };
}

const create = (env: AlipayEnv, biz: Record<string, unknown>) => env.adapter.gateway.call('alipay.commerce.medical.trade.createandpay', { biz });
const refused = (subMsg: RegExp) => ({ name: 'AlipayRejectedError', gatewayCode: '40002', code: 'INVALID_PARAMETER', message: expect.stringMatching(subMsg) });

describe('Alipay sandbox createandpay, as the SDK model describes it', () => {
  it('accepts the model\'s fields and answers with the Response class\'s fields', async () => {
    const biz = await validBiz(userEnv, 'zhang');
    expect(await create(userEnv, biz)).toMatchObject({ code: '10000', trade_no: expect.any(String), out_trade_no: biz.out_trade_no, pay_url: expect.any(String), pay_order_id: biz.pay_order_id, order_type: 'INSURANCE_PAY', chrg_bch_no: biz.chrg_bch_no });
  });

  it.each(['out_trade_no', 'pay_auth_no', 'org_no', 'industry', 'insurance_pay_scene', 'total_amount'])('refuses a request without %s', async (field) => {
    const biz = await validBiz(userEnv, 'wang');
    delete biz[field];
    await expect(create(userEnv, biz)).rejects.toMatchObject(refused(new RegExp(field)));
  });

  it('refuses order_type INSURANCE_PAY without chrg_bch_no', async () => {
    const { chrg_bch_no: _drop, ...biz } = await validBiz(userEnv, 'chen');
    await expect(create(userEnv, biz)).rejects.toMatchObject(refused(/chrg_bch_no/));
  });

  it("refuses WeChat's order types (REG_PAY), which are not Alipay's", async () => {
    const biz = await validBiz(userEnv, 'liu');
    await expect(create(userEnv, { ...biz, order_type: 'REG_PAY' })).rejects.toMatchObject(refused(/order_type/));
  });

  it('refuses org_name, a field the model does not have', async () => {
    const biz = await validBiz(userEnv, 'huang');
    await expect(create(userEnv, { ...biz, org_name: '乐于医院' })).rejects.toMatchObject(refused(/org_name/));
  });

  it('refuses both shop_id and store_id, and neither', async () => {
    const biz = await validBiz(userEnv, 'zhou');
    await expect(create(userEnv, { ...biz, shop_id: '2015061000077000000' })).rejects.toMatchObject(refused(/shop_id/));
    const { store_id: _drop, ...none } = biz;
    await expect(create(userEnv, none)).rejects.toMatchObject(refused(/shop_id/));
  });

  it('refuses an e-voucher medical_card_id other than the one given with the authorization', async () => {
    const biz = await validBiz(userEnv, 'zhang');
    await expect(create(userEnv, { ...biz, extend_params: { medical_card_inst_id: 'NATHSA', medical_card_id: 'MC-someone-else' } })).rejects.toMatchObject({ code: 'MEDICAL_CARD_ID_INVALID', gatewayCode: '40004' });
  });

  it('refuses an open_id sent in alipay_user_id in user_id mode', async () => {
    const biz = await validBiz(userEnv, 'wang');
    await expect(create(userEnv, { ...biz, alipay_user_id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' })).rejects.toMatchObject(refused(/2088/));
  });

  it('refuses alipay_user_id in open_id mode, even with the right user', async () => {
    const biz = await validBiz(openEnv, 'wang');
    const { open_id: _drop, ...rest } = biz;
    await expect(create(openEnv, { ...rest, alipay_user_id: '2088000000000002' })).rejects.toMatchObject(refused(/open_id/));
  });

  it('refuses a user_id sent in open_id in open_id mode', async () => {
    const biz = await validBiz(openEnv, 'chen');
    await expect(create(openEnv, { ...biz, open_id: '2088000000000003' })).rejects.toMatchObject(refused(/openid参数值非法/));
  });

  it("accepts the open_id oauth.token gave the app in open_id mode", async () => {
    const biz = await validBiz(openEnv, 'zhou');
    expect(biz.open_id).toBe(await alipayAppUser(openEnv, 'zhou'));
    await expect(create(openEnv, biz)).resolves.toMatchObject({ code: '10000' });
  });
});
