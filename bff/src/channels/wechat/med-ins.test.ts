/**
 * The mixed order's body per mix_pay_type and the three statuses, against the field tables of
 * wechatpay-skills 开发参数与业务规则 §四 / §六 and 排障手册 §2.6 Q4 (the expected field lists are
 * copied from there, not computed by the code under test).
 */
import type { CreatePaymentInput } from '../port';
import { medInsOrderBody, mixPayType, passthroughContent, type MedInsOrderContext } from './med-ins';
import { readStatuses } from './status';

const ctx = (over: Partial<MedInsOrderContext> = {}): MedInsOrderContext => ({
  appId: 'wx0001',
  cityId: '440100',
  medInstName: '乐于医院',
  medInstNo: 'H44010600001',
  medInsTestEnv: false,
  geoLocation: '113.264385,23.129112',
  prepayId: 'wx-prepay-1',
  passthrough: { repeatAuthFields: false, extra: {} },
  encrypt: (p) => `enc(${p})`,
  digest: (id) => `md5(${id})`,
  ...over,
});

const input = (amounts: CreatePaymentInput['amounts'], over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  orderNo: 'MZ20261206000001',
  kind: 'outpatient',
  title: '门诊缴费',
  openId: 'o-1',
  payAuthNo: 'AUTH0001',
  payOrdId: 'ORD0001',
  amounts,
  payer: { name: '张建国', idNo: '44030019000101123X' },
  createdAt: '2026-12-06T02:00:00.000Z',
  notifyUrl: 'https://pay.hospital.cn/notify/wechat/payment',
  expiresAt: '2026-12-06T02:30:00.000Z',
  ...over,
});

const INSURANCE_ORDER_FIELDS = ['pay_order_id', 'pay_auth_no', 'geo_location', 'med_ins_order_create_time'];
const MED_INS_FEES = ['med_ins_gov_fee', 'med_ins_self_fee', 'med_ins_other_fee', 'med_ins_cash_fee'];

describe('mix_pay_type and its field set', () => {
  it('sends an all-self-pay pre-settlement that reached the centre as a mixed order with zero insurance fees (public-rules item 12)', () => {
    const q = input({ totalFen: 1_200, fundFen: 0, acctFen: 0, cashFen: 1_200 });
    expect(mixPayType(q)).toBe('CASH_AND_INSURANCE');
    const b = medInsOrderBody(q, ctx());
    for (const f of [...INSURANCE_ORDER_FIELDS, ...MED_INS_FEES, 'wechat_pay_cash_fee', 'prepay_id']) expect(b[f]).toBeDefined();
    expect([b.med_ins_gov_fee, b.med_ins_self_fee, b.med_ins_other_fee, b.wechat_pay_cash_fee]).toEqual([0, 0, 0, 1_200]);
  });

  it('sends CASH_ONLY only for an order that never reached the centre, without any insurance field (接入质量检查 #6)', () => {
    const b = medInsOrderBody(input({ totalFen: 800, fundFen: 0, acctFen: 0, cashFen: 800 }, { cashOnly: true }), ctx());
    expect(b.mix_pay_type).toBe('CASH_ONLY');
    expect(Object.keys(b).filter((k) => k.startsWith('med_ins_') || INSURANCE_ORDER_FIELDS.includes(k) || k === 'passthrough_request_content')).toEqual([]);
    expect(b).toMatchObject({ wechat_pay_cash_fee: 800, prepay_id: 'wx-prepay-1', total_fee: 800 });
  });

  it('sends INSURANCE_ONLY without prepay_id or wechat_pay_cash_fee and with every insurance field', () => {
    const b = medInsOrderBody(input({ totalFen: 3_000, fundFen: 2_000, acctFen: 1_000, cashFen: 0 }), ctx({ prepayId: undefined }));
    expect(b.mix_pay_type).toBe('INSURANCE_ONLY');
    expect('prepay_id' in b || 'wechat_pay_cash_fee' in b).toBe(false);
    for (const f of [...INSURANCE_ORDER_FIELDS, ...MED_INS_FEES]) expect(b[f]).toBeDefined();
  });

  it('sends the other-fund part as med_ins_other_fee and checks total_fee against all five parts', () => {
    const b = medInsOrderBody(input({ totalFen: 1_000, fundFen: 500, acctFen: 200, cashFen: 100, otherFundFen: 200 }), ctx());
    expect(b).toMatchObject({ total_fee: 1_000, med_ins_gov_fee: 500, med_ins_self_fee: 200, med_ins_other_fee: 200, med_ins_cash_fee: 100, wechat_pay_cash_fee: 100 });
    expect(() => medInsOrderBody(input({ totalFen: 1_000, fundFen: 500, acctFen: 200, cashFen: 100 }), ctx())).toThrow(/total_fee 1000 ≠/);
  });

  it('takes med_ins_order_create_time from the centre order time in +08:00 (排障手册 268510610)', () => {
    expect(medInsOrderBody(input({ totalFen: 10, fundFen: 5, acctFen: 0, cashFen: 5 }), ctx()).med_ins_order_create_time).toBe('2026-12-06T10:00:00+08:00');
  });

  it('refuses a callback URL with a query string (接入质量检查 #13)', () => {
    expect(() => medInsOrderBody(input({ totalFen: 10, fundFen: 5, acctFen: 0, cashFen: 5 }, { notifyUrl: 'https://pay.hospital.cn/n?x=1' }), ctx())).toThrow(/query/);
  });

  it('pays for a relative: payer is the voucher holder, the patient goes encrypted in relative (开发参数 §五, #17)', () => {
    const b = medInsOrderBody(input({ totalFen: 10, fundFen: 5, acctFen: 0, cashFen: 5 }, { payer: { name: '李秀英', idNo: '110101195001011234' }, relative: { name: '张建国', idNo: '44030019000101123X' } }), ctx());
    expect(b.pay_for_relatives).toBe(true);
    expect(b.payer).toEqual({ name: 'enc(李秀英)', id_digest: 'enc(md5(110101195001011234))', card_type: 'ID_CARD' });
    expect(b.relative).toEqual({ name: 'enc(张建国)', id_digest: 'enc(md5(44030019000101123X))', card_type: 'ID_CARD' });
  });
});

describe('passthrough_request_content', () => {
  it('leaves out payAuthNo/payOrdId/setlLatlnt by default (接入质量检查 #28) and sends them when the province requires (排障手册 268547120)', () => {
    const q = { payAuthNo: 'AUTH1', payOrdId: 'ORD1' };
    expect(passthroughContent(q, { geoLocation: '1,2', passthrough: { repeatAuthFields: false, extra: {} } })).toBeUndefined();
    expect(JSON.parse(passthroughContent(q, { geoLocation: '1,2', passthrough: { repeatAuthFields: true, extra: { mdtrtCertType: '01' } } })!)).toEqual({ mdtrtCertType: '01', payAuthNo: 'AUTH1', payOrdId: 'ORD1', setlLatlnt: '1,2' });
  });

  it('refuses more than 2048 bytes (排障手册 §2.6 Q12)', () => {
    expect(() => passthroughContent({ payAuthNo: 'A', payOrdId: 'O' }, { passthrough: { repeatAuthFields: false, extra: { note: '医'.repeat(700) } } })).toThrow(/2048 bytes/);
  });
});

describe('the three statuses read together', () => {
  const base = { mix_trade_no: 'M1', out_trade_no: 'O1', mix_pay_type: 'CASH_AND_INSURANCE' as const, wechat_pay_cash_fee: 500, med_ins_gov_fee: 1_000, med_ins_self_fee: 0, med_ins_other_fee: 0 };

  it('reports a failed mix whose cash leg was taken as failed with the cash leg taken (public-rules item 13)', () => {
    expect(readStatuses({ ...base, mix_pay_status: 'MIX_PAY_FAIL', self_pay_status: 'SELF_PAY_SUCCESS', med_ins_pay_status: 'MED_INS_PAY_FAIL' })).toEqual({ status: 'failed', legs: { cash: 'taken', insurance: 'not_taken' } });
  });

  it('keeps MIX_PAY_USER_PAYING pending (排障手册 268560650)', () => {
    expect(readStatuses({ ...base, mix_pay_status: 'MIX_PAY_USER_PAYING', self_pay_status: 'SELF_PAY_CREATED', med_ins_pay_status: 'MED_INS_PAY_CREATED' }).status).toBe('pending');
  });

  it('reads a status it does not know as unknown, never success or failure', () => {
    expect(readStatuses({ ...base, mix_pay_status: 'MIX_PAY_SOMETHING_NEW', self_pay_status: 'SELF_PAY_X' })).toEqual({ status: 'unknown', legs: { cash: 'unknown', insurance: 'unknown' } });
  });

  it('does not believe MIX_PAY_SUCCESS whose cash leg is not taken', () => {
    expect(readStatuses({ ...base, mix_pay_status: 'MIX_PAY_SUCCESS', self_pay_status: 'SELF_PAY_CREATED', med_ins_pay_status: 'MED_INS_PAY_SUCCESS' }).status).toBe('unknown');
  });

  it('reads an insurance-only success with NO_SELF_PAY as paid (接入质量检查 #10)', () => {
    const o = { ...base, mix_pay_type: 'INSURANCE_ONLY' as const, wechat_pay_cash_fee: undefined, mix_pay_status: 'MIX_PAY_SUCCESS', self_pay_status: 'NO_SELF_PAY', med_ins_pay_status: 'MED_INS_PAY_SUCCESS' };
    expect(readStatuses(o)).toEqual({ status: 'paid', legs: { cash: 'not_taken', insurance: 'taken' } });
  });
});
