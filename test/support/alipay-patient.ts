import { patientApi as api, type OrderState } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import { Api, postJson } from './api';
import type { TestStack } from './stack';

/** A patient of the sandbox world using the Alipay mini-program, over real HTTP. */
export class AlipayPatient {
  readonly api: Api;

  constructor(readonly stack: TestStack, readonly key: string) {
    this.api = new Api(stack.urls.bff);
  }

  get person() {
    const p = personByKey(this.key);
    if (!p) throw new Error(`no sandbox person ${this.key}`);
    return p;
  }

  private async code(scopes: string[]): Promise<string> {
    const r = await postJson(`${this.stack.urls.alipay}/sandbox/dev/auth-code`, { userId: this.person.alipayUserId, scopes });
    return r.body.authCode as string;
  }

  async login(): Promise<this> {
    const s = await this.api.ok(api.login, { body: { channel: 'alipay', code: await this.code(['auth_base']) } });
    this.api.token = s.token;
    return this;
  }

  async onboard(regionCode = this.person.insurance[0].regionCode): Promise<this> {
    const st = await this.api.ok(api.insuranceStatus, { body: { regionCode, idNo: this.person.idNo, name: this.person.name } });
    await this.api.ok(api.chooseBenefit, { body: { benefitCode: st.benefits[0].code } });
    return this;
  }

  /** my.getAuthCode({scopes:['nhsamp','auth_user']}) → BFF; redirect → authorize the voucher on auth_url → again. */
  async authorize(): Promise<{ redirected: boolean }> {
    const first = await this.api.ok(api.authorizeInsurance, { body: { authCode: await this.code(['nhsamp', 'auth_user']) } });
    if (first.status === 'authorized') return { redirected: false };
    await postJson(`${this.stack.urls.alipay}/sandbox/dev/authorize-voucher`, { userId: this.person.alipayUserId });
    const again = await this.api.ok(api.authorizeInsurance, { body: { authCode: await this.code(['nhsamp', 'auth_user']) } });
    if (again.status !== 'authorized') throw new Error('voucher still not authorized');
    return { redirected: true };
  }

  async order(orderNo: string) {
    return (await this.api.ok(api.getOrder, { params: { orderNo } })).order;
  }

  async waitForState(orderNo: string, states: OrderState[], timeoutMs = 20_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const o = await this.order(orderNo);
      if (states.includes(o.state)) return o;
      if (Date.now() > until) throw new Error(`order ${orderNo} stayed ${o.state}, wanted ${states.join('|')}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Authorizes, orders the first outstanding bill and confirms the payment in Alipay; the order number. */
  async payOutpatient(idempotencyKey = `alipay-${this.key}-${Date.now()}`): Promise<{ orderNo: string; tradeNo: string }> {
    await this.authorize();
    const { bills } = await this.api.ok(api.bills);
    const { order } = await this.api.ok(api.createOrder, { body: { kind: 'outpatient', billNos: [bills[0].billNo] }, headers: { 'idempotency-key': idempotencyKey } });
    const { payment } = await this.api.ok(api.payOrder, { params: { orderNo: order.orderNo }, body: {} });
    const tradeNo = (payment as { tradeNo: string }).tradeNo;
    await this.confirmInAlipay(tradeNo);
    return { orderNo: order.orderNo, tradeNo };
  }

  /** Opens pay_url and confirms, as the patient does in Alipay. */
  async confirmInAlipay(tradeNo: string, outcome: 'ok' | 'fail' = 'ok') {
    return postJson(`${this.stack.urls.alipay}/sandbox/dev/pay`, { tradeNo, outcome });
  }
}
