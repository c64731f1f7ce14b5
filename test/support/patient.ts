import { patientApi as api, type OrderState } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { Api, postJson } from './api';
import type { TestStack } from './stack';

/** A patient of the sandbox world using the WeChat mini-program, driven over real HTTP. */
export class WechatPatient {
  readonly api: Api;
  readonly openid: string;

  constructor(readonly stack: TestStack, readonly key: string, bffUrl = stack.urls.bff) {
    this.api = new Api(bffUrl);
    this.openid = `sandbox-${key}`;
  }

  get person() {
    const p = personByKey(this.key);
    if (!p) throw new Error(`no sandbox person ${this.key}`);
    return p;
  }

  async login(): Promise<this> {
    const r = await postJson(`${this.stack.urls.wechat}/sandbox/dev/login-code`, { openid: this.openid });
    const s = await this.api.ok(api.login, { body: { channel: 'wechat', code: r.body.code } });
    this.api.token = s.token;
    return this;
  }

  /** C7–C10 with the person's first insured region and first benefit. */
  async onboard(regionCode = this.person.insurance[0].regionCode): Promise<this> {
    const st = await this.api.ok(api.insuranceStatus, { body: { regionCode, idNo: this.person.idNo, name: this.person.name } });
    if (!st.insured) throw new Error(`${this.key} is not insured in ${regionCode}`);
    await this.api.ok(api.chooseBenefit, { body: { benefitCode: st.benefits[0].code } });
    return this;
  }

  /** C11: the e-voucher round trip through the sandbox WeChat. */
  async authorize(): Promise<void> {
    const r = await postJson(`${this.stack.urls.wechat}/sandbox/dev/insurance-auth`, { openid: this.openid });
    await this.api.ok(api.authorizeInsurance, { body: { authCode: r.body.authCode } });
  }

  async firstBillNo(): Promise<string> {
    const { bills } = await this.api.ok(api.bills);
    if (!bills.length) throw new Error(`${this.key} has no unpaid bills`);
    return bills[0].billNo;
  }

  async createOutpatientOrder(billNos?: string[]): Promise<string> {
    const nos = billNos ?? [await this.firstBillNo()];
    const { order } = await this.api.ok(api.createOrder, { body: { kind: 'outpatient', billNos: nos }, headers: { 'idempotency-key': `k-${Date.now()}-${Math.random().toString(36).slice(2)}` } });
    return order.orderNo;
  }

  /** The first bookable slot of the first available doctor of a department. */
  async createRegistrationOrder(deptIndex = 0): Promise<string> {
    const { departments } = await this.api.ok(api.departments);
    const dept = departments[deptIndex % departments.length];
    const { doctors } = await this.api.ok(api.doctors, { params: { deptCode: dept.code } });
    for (const d of doctors.filter((x) => x.available)) {
      const { slots } = await this.api.ok(api.slots, { params: { doctorCode: d.code } });
      const slot = slots.find((x) => x.remaining > 0);
      if (!slot) continue;
      const { order } = await this.api.ok(api.createOrder, {
        body: { kind: 'registration', slotId: slot.slotId },
        headers: { 'idempotency-key': `k-${Date.now()}-${Math.random().toString(36).slice(2)}` },
      });
      return order.orderNo;
    }
    throw new Error(`no bookable slot in ${dept.name}`);
  }

  /** Authorize, order a registration, pay, confirm in WeChat. */
  async payRegistration(deptIndex = 0): Promise<string> {
    await this.authorize();
    const orderNo = await this.createRegistrationOrder(deptIndex);
    const { payment } = await this.pay(orderNo);
    await this.confirmInWechat(payment as Record<string, unknown>);
    return orderNo;
  }

  async pay(orderNo: string) {
    return this.api.ok(api.payOrder, { params: { orderNo }, body: {} });
  }

  /** Stands in for wx.requestMedicalInsurancePay. */
  async confirmInWechat(payment: Record<string, unknown>, outcome: 'ok' | 'fail' = 'ok') {
    return postJson(`${this.stack.urls.wechat}/sandbox/dev/pay`, { ...payment, openid: this.openid, outcome });
  }

  async order(orderNo: string) {
    return (await this.api.ok(api.getOrder, { params: { orderNo } })).order;
  }

  async waitForState(orderNo: string, states: OrderState[], timeoutMs = 20_000) {
    const until = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.order(orderNo);
      if (states.includes(last.state)) return last;
      if (Date.now() > until) throw new Error(`order ${orderNo} stayed ${last.state}, wanted ${states.join('|')}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** login → onboard → authorize → order → pay → confirm in WeChat; returns the order number. */
  async payOutpatient(billNos?: string[]): Promise<string> {
    await this.authorize();
    const orderNo = await this.createOutpatientOrder(billNos);
    const { payment } = await this.pay(orderNo);
    await this.confirmInWechat(payment as Record<string, unknown>);
    return orderNo;
  }
}
