/**
 * Issue 12 item 4/5 through the real BFF and the sandboxes over HTTP: a patient adds a family
 * member, books and pays for them with a 亲情付 authorization on WeChat (payer = the voucher holder,
 * the patient in `relative` with pay_for_relatives: wechatpay-skills 开发参数与业务规则 §五,
 * 接入质量检查 #17/#18 — the WeChat sandbox refuses anything else), and nobody else can see or
 * use that member.
 */
import { familyApi, patientApi } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { getJson, postJson, testStack, type TestStack } from '../support/stack';
import { WechatPatient } from '../support/patient';
import { connectRedis } from '../../bff/src/store/redis';

let stack: TestStack;

beforeAll(async () => {
  stack = await testStack({});
}, 120_000);
afterAll(() => stack?.cleanup());

const person = (key: string) => {
  const p = personByKey(key);
  if (!p) throw new Error(key);
  return p;
};
const key = () => `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function addMember(p: WechatPatient, who: string, relation: 'spouse' | 'parent' | 'child' | 'sibling' | 'other' = 'spouse') {
  const x = person(who);
  return p.api.call(familyApi.addFamily, { body: { name: x.name, idNo: x.idNo, relation, regionCode: '440100' } });
}

async function firstSlot(p: WechatPatient): Promise<string> {
  const { departments } = await p.api.ok(patientApi.departments);
  for (const dept of departments) {
    const { doctors } = await p.api.ok(patientApi.doctors, { params: { deptCode: dept.code } });
    for (const d of doctors.filter((x) => x.available)) {
      const { slots } = await p.api.ok(patientApi.slots, { params: { doctorCode: d.code } });
      const slot = slots.find((x) => x.remaining > 0);
      if (slot) return slot.slotId;
    }
  }
  throw new Error('no bookable slot');
}

async function familyAuthorize(p: WechatPatient, forPerson: string) {
  const r = await postJson(`${stack.urls.wechat}/sandbox/dev/insurance-auth`, { openid: p.openid, forPerson });
  return p.api.ok(patientApi.authorizeInsurance, { body: { authCode: r.body.authCode } });
}

describe('family members (就诊人)', () => {
  it('books and pays a registration for a spouse with a family-pay authorization, the holder as payer and the spouse as relative', async () => {
    const wang = await (await new WechatPatient(stack, 'wang').login()).onboard();
    const added = await addMember(wang, 'zhang');
    expect(added.status).toBe(200);
    const member = added.body.member;
    expect(member).toMatchObject({ relation: 'spouse', relationLabel: '配偶', nameMasked: '张**', idNoMasked: '440106********2134', insured: true });
    expect(JSON.stringify(await wang.api.ok(familyApi.listFamily))).not.toContain(person('zhang').idNo);

    await familyAuthorize(wang, 'zhang');
    const { order } = await wang.api.ok(patientApi.createOrder, { body: { kind: 'registration', slotId: await firstSlot(wang), memberId: member.memberId }, headers: { 'idempotency-key': key() } });
    expect(order.patient).toMatchObject({ nameMasked: '张**', relationLabel: '配偶', memberId: member.memberId });
    const { payment } = await wang.pay(order.orderNo);
    const r = await wang.confirmInWechat(payment as Record<string, unknown>);
    expect(r.body.errMsg).toBe('requestMedicalInsurancePay:ok');
    await wang.waitForState(order.orderNo, ['completed']);

    const { orders } = await getJson(`${stack.urls.wechat}/sandbox/orders`);
    const wx = (orders as Array<Record<string, unknown>>).find((o) => o.out_trade_no === order.orderNo);
    expect(wx).toMatchObject({ pay_for_relatives: true });
    expect(wx?.relative).toMatchObject({ card_type: expect.any(String), name: expect.any(String), id_digest: expect.any(String) });
    const profile = await wang.api.ok(patientApi.insuranceProfile);
    expect(profile.authorization).toMatchObject({ state: 'used', orderNo: order.orderNo, familyPay: true });
  });

  it('stores a family member with no readable name or ID number', async () => {
    const chen = await (await new WechatPatient(stack, 'chen').login()).onboard();
    const redis = connectRedis(stack.redis.url);
    try {
      const { member } = (await addMember(chen, 'li', 'sibling')).body;
      const key = (await redis.keys('*family')).find((k) => k.includes(chen.openid));
      const raw = JSON.stringify(await redis.hgetall(key!));
      expect(raw).toContain(member.memberId);
      expect(raw).not.toContain(person('li').idNo);
      expect(raw).not.toContain(person('li').name);
    } finally {
      redis.disconnect();
    }
  });

  it("asks for 亲情付 when a relative's order meets the holder's own authorization, and keeps that authorization unspent", async () => {
    const chen = await (await new WechatPatient(stack, 'chen').login()).onboard();
    const { member } = (await addMember(chen, 'huang', 'parent')).body;
    const { order } = await chen.api.ok(patientApi.createOrder, { body: { kind: 'registration', slotId: await firstSlot(chen), memberId: member.memberId }, headers: { 'idempotency-key': key() } });
    await chen.authorize();
    const r = await chen.api.call(patientApi.payOrder, { params: { orderNo: order.orderNo }, body: {} });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'FAMILY_PAY_REQUIRED', message: '家人用医保支付需要先开通亲情付，这次没有扣款。请开通后再支付，或选择自费' });
    const profile = await chen.api.ok(patientApi.insuranceProfile);
    expect(profile.authorization).toMatchObject({ state: 'active', familyPay: false });
  });

  it('books and pays a registration 自费 for an uninsured relative: CASH_ONLY, no authorization, the centre untouched', async () => {
    const holder = await (await new WechatPatient(stack, 'wang').login()).onboard();
    const { member } = (await addMember(holder, 'zhao', 'parent')).body;
    expect(member.insured).toBe(false);
    const centreOrders = async () => ((await getJson(`${stack.urls.national}/sandbox/orders`)).orders as unknown[]).length;
    const centreBefore = await centreOrders();
    const { order } = await holder.api.ok(patientApi.createOrder, { body: { kind: 'registration', slotId: await firstSlot(holder), memberId: member.memberId, payMode: 'self' }, headers: { 'idempotency-key': key() } });
    expect(order).toMatchObject({ payMode: 'self', patient: { memberId: member.memberId }, amounts: { fundFen: 0, acctFen: 0, cashFen: order.amounts.totalFen } });
    const { payment } = await holder.pay(order.orderNo);
    await holder.confirmInWechat(payment as Record<string, unknown>);
    const done = await holder.waitForState(order.orderNo, ['completed']);
    expect(done.patient.relationLabel).toBe('父母');
    expect(await getJson(`${stack.urls.wechat}/sandbox/orders/${order.orderNo}`)).toMatchObject({ mix_pay_type: 'CASH_ONLY', mix_pay_status: 'MIX_PAY_SUCCESS' });
    expect(await centreOrders()).toBe(centreBefore);
  });

  it("refuses another patient the member and the member's orders as if they did not exist", async () => {
    const holder = await (await new WechatPatient(stack, 'huang').login()).onboard();
    const { member } = (await addMember(holder, 'chen', 'child')).body;
    const { order } = await holder.api.ok(patientApi.createOrder, { body: { kind: 'registration', slotId: await firstSlot(holder), memberId: member.memberId }, headers: { 'idempotency-key': key() } });

    const other = await (await new WechatPatient(stack, 'zhang').login()).onboard();
    const use = await other.api.call(patientApi.createOrder, { body: { kind: 'registration', slotId: await firstSlot(other), memberId: member.memberId }, headers: { 'idempotency-key': key() } });
    expect(use.status).toBe(404);
    expect(use.body.error?.code).toBe('FAMILY_MEMBER_NOT_FOUND');
    expect((await other.api.call(familyApi.removeFamily, { params: { memberId: member.memberId } })).status).toBe(404);
    expect((await other.api.call(patientApi.getOrder, { params: { orderNo: order.orderNo } })).status).toBe(404);
    expect((await other.api.ok(familyApi.listFamily)).members).toEqual([]);
    expect((await holder.api.ok(familyApi.listFamily)).members).toHaveLength(1);
  });

  it('refuses a wrong check digit, oneself, a duplicate and a sixth member in plain Chinese', async () => {
    const liu = await (await new WechatPatient(stack, 'liu').login()).onboard();
    const bad = await liu.api.call(familyApi.addFamily, { body: { name: '张建国', idNo: '440106196503122135', relation: 'spouse', regionCode: '440100' } });
    expect(bad.body.error).toMatchObject({ code: 'INVALID_ID_NUMBER', message: '身份证号码格式不正确，请核对后重新输入' });
    expect((await addMember(liu, 'liu')).body.error).toMatchObject({ code: 'FAMILY_DUPLICATE', message: '这是您本人的身份证号，不用添加为家人' });
    for (const k of ['zhang', 'wang', 'chen', 'li', 'zhao']) expect((await addMember(liu, k, 'other')).status).toBe(200);
    expect((await addMember(liu, 'zhang')).body.error).toMatchObject({ code: 'FAMILY_DUPLICATE', message: '这位家人已经添加过了，不用重复添加' });
    const sixth = await addMember(liu, 'huang');
    expect(sixth.status).toBe(409);
    expect(sixth.body.error?.message).toBe('最多可以添加 5 位家人。如需添加新的家人，请先删除一位');
  });

  it('frees the place and the ID number of a removed member', async () => {
    const zhang = await (await new WechatPatient(stack, 'zhang').login()).onboard();
    const { member } = (await addMember(zhang, 'wang', 'spouse')).body;
    expect(await zhang.api.ok(familyApi.removeFamily, { params: { memberId: member.memberId } })).toEqual({ removed: true });
    expect((await zhang.api.ok(familyApi.listFamily)).members).toEqual([]);
    expect((await addMember(zhang, 'wang', 'spouse')).status).toBe(200);
  });

  it('tells a patient booking for an uninsured relative to choose self-pay, and creates nothing', async () => {
    const zhou = await (await new WechatPatient(stack, 'zhou').login()).onboard();
    const { member } = (await addMember(zhou, 'zhao', 'child')).body;
    expect(member.insured).toBe(false);
    const r = await zhou.api.call(patientApi.createOrder, { body: { kind: 'registration', slotId: await firstSlot(zhou), memberId: member.memberId }, headers: { 'idempotency-key': key() } });
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('FAMILY_PAY_REQUIRED');
    expect((await zhou.api.ok(patientApi.listOrders)).orders).toEqual([]);
  });
});
