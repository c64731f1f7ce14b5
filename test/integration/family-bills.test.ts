/**
 * Issue 12 (family members, outpatient bills) through the real BFF and the sandboxes over HTTP: the
 * account holder lists and pays a family member's outpatient bill with a 亲情付 authorization
 * (wechatpay-skills 开发参数与业务规则 §五), a member is addressed by its opaque memberId only, another
 * patient's memberId is refused as if it did not exist, and a bill held by a pending order names it.
 */
import { familyApi, patientApi } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { postJson, testStack, type TestStack } from '../support/stack';
import { WechatPatient } from '../support/patient';

let stack: TestStack;

beforeAll(async () => {
  stack = await testStack({});
}, 120_000);
afterAll(() => stack?.cleanup());

const key = () => `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function addSpouse(p: WechatPatient, who: string): Promise<string> {
  const x = personByKey(who);
  if (!x) throw new Error(who);
  const { member } = await p.api.ok(familyApi.addFamily, { body: { name: x.name, idNo: x.idNo, relation: 'spouse', regionCode: '440100' } });
  return member.memberId;
}

describe("a family member's outpatient bills", () => {
  it("lists a spouse's unpaid bills by memberId and pays one with a family-pay authorization", async () => {
    const wang = await (await new WechatPatient(stack, 'wang').login()).onboard();
    const memberId = await addSpouse(wang, 'zhang');

    const own = await wang.api.ok(patientApi.bills);
    expect(own.bills.map((b) => b.billNo)).toEqual(['MZCF000201']);
    const theirs = await wang.api.ok(patientApi.bills, { query: { memberId } });
    expect(theirs.bills.map((b) => b.billNo).sort()).toEqual(['MZCF000101', 'MZCF000102']);
    const detail = await wang.api.ok(patientApi.bill, { params: { billNo: 'MZCF000101' }, query: { memberId } });
    expect(detail.bill.items.map((i) => i.name)).toContain('阿莫西林胶囊');

    const r = await postJson(`${stack.urls.wechat}/sandbox/dev/insurance-auth`, { openid: wang.openid, forPerson: 'zhang' });
    await wang.api.ok(patientApi.authorizeInsurance, { body: { authCode: r.body.authCode } });
    const { order } = await wang.api.ok(patientApi.createOrder, { body: { kind: 'outpatient', billNos: ['MZCF000101'], memberId }, headers: { 'idempotency-key': key() } });
    expect(order.patient).toMatchObject({ nameMasked: '张**', relationLabel: '配偶', memberId });
    const { payment } = await wang.pay(order.orderNo);
    expect((await wang.confirmInWechat(payment as Record<string, unknown>)).body.errMsg).toBe('requestMedicalInsurancePay:ok');
    await wang.waitForState(order.orderNo, ['completed']);

    expect((await wang.api.ok(patientApi.bills, { query: { memberId } })).bills.map((b) => b.billNo)).toEqual(['MZCF000102']);
  });

  it("refuses another patient's memberId on the bills list and a bill as if the member did not exist", async () => {
    const huang = await (await new WechatPatient(stack, 'huang').login()).onboard();
    const memberId = await addSpouse(huang, 'chen');
    const other = await (await new WechatPatient(stack, 'zhou').login()).onboard();

    const list = await other.api.call(patientApi.bills, { query: { memberId } });
    expect(list.status).toBe(404);
    expect(list.body.error).toMatchObject({ code: 'FAMILY_MEMBER_NOT_FOUND', message: '没有找到这位家人，请刷新后重新选择' });
    const one = await other.api.call(patientApi.bill, { params: { billNo: 'MZCF000301' }, query: { memberId } });
    expect(one.status).toBe(404);
    expect(one.body).not.toHaveProperty('bill');
  });

  it('marks a bill held by a pending order of the patient with that order number', async () => {
    const liu = await (await new WechatPatient(stack, 'liu').login()).onboard();
    const { order } = await liu.api.ok(patientApi.createOrder, { body: { kind: 'outpatient', billNos: ['MZCF000401'] }, headers: { 'idempotency-key': key() } });

    const { bills } = await liu.api.ok(patientApi.bills);
    expect(bills.find((b) => b.billNo === 'MZCF000401')).toMatchObject({ heldByOrderNo: order.orderNo });
  });
});
