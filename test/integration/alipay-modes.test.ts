/**
 * Alipay end to end in both user identifier modes (public-rules-2026-12.md item 18): the real BFF
 * and the Alipay sandbox over HTTP, each run in user_id or open_id mode by configuration. The sandbox
 * refuses a user named in the other mode's field, so every step passing shows the right field.
 */
import { hisApi } from '@mip/shared';
import { testStack, type TestStack, getJson, postJson } from '../support/stack';
import { AlipayPatient } from '../support/alipay-patient';
import { HisClient } from '../support/his-client';

type Mode = 'user_id' | 'open_id';

describe.each<Mode>(['user_id', 'open_id'])('Alipay in %s mode', (mode) => {
  let stack: TestStack;
  let his: HisClient;

  beforeAll(async () => {
    stack = await testStack({
      // every payment has a self-pay part, so both legs are exercised
      sandboxConfig: { national: { policy: { accountPaysSelfPart: false } }, alipay: { userIdType: mode } },
      bffConfig: { channels: { alipay: { userIdType: mode } } },
    });
    his = HisClient.of(stack);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  const patient = async (key: string) => (await new AlipayPatient(stack, key).login()).onboard();
  const trade = (orderNo: string) => getJson(`${stack.urls.alipay}/sandbox/orders/${orderNo}`);

  it('logs in, sends the patient to activate the voucher, then pays a mixed order end to end', async () => {
    const p = await patient('huang');
    const { orderNo } = await p.payOutpatient();
    const done = await p.waitForState(orderNo, ['completed']);
    expect(done.amounts.cashFen).toBeGreaterThan(0);
    expect((await getJson(`${stack.urls.his}/sandbox/ledger/${orderNo}`)).settlements).toHaveLength(1);
    expect(await trade(orderNo)).toMatchObject({ user_id: p.person.alipayUserId, trade_status: 'TRADE_SUCCESS', order_type: 'INSURANCE_PAY', chrg_bch_no: expect.any(String) });
  });

  it('refunds a completed order in full: the self-pay part through alipay.commerce.medical.trade.refund, once', async () => {
    const p = await patient('zhou');
    const { orderNo } = await p.payOutpatient();
    const o = await p.waitForState(orderNo, ['completed']);
    await his.ok(hisApi.createRefund, { body: { orderNo, refundNo: `RF-${mode}-ZHOU`, all: true, reason: '全部退费' } });
    const final = await p.waitForState(orderNo, ['refunded']);
    expect(final.refunds.reduce((n, r) => n + r.amounts.totalFen, 0)).toBe(o.amounts.totalFen);
    const refunds = (await getJson(`${stack.urls.alipay}/sandbox/refunds`)).refunds as { out_trade_no: string; amountFen: number }[];
    expect(refunds.filter((r) => r.out_trade_no === orderNo).reduce((n, r) => n + r.amountFen, 0)).toBe(o.amounts.cashFen);
  });

  it("delivers the paid message to the patient named in the mode's field", async () => {
    const p = await patient('liu');
    const c = stack.credentials.alipay as { templates: { outpatientPaid: string } };
    await postJson(`${stack.urls.alipay}/sandbox/dev/subscribe`, { userId: p.person.alipayUserId, templateIds: [c.templates.outpatientPaid], decision: 'accept' });
    const { orderNo } = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed']);
    type Msg = { user_id: string; to_user_id?: string; to_open_id?: string };
    let mine: Msg[] = [];
    for (let i = 0; i < 60 && mine.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      mine = ((await getJson(`${stack.urls.alipay}/sandbox/messages`)).messages as Msg[]).filter((m) => m.user_id === p.person.alipayUserId);
    }
    expect(mine).toHaveLength(1);
    if (mode === 'user_id') expect(mine[0]).toMatchObject({ to_user_id: p.person.alipayUserId });
    else expect(mine[0]).toMatchObject({ to_open_id: expect.not.stringMatching(/^2088/) });
    expect(mine[0]).not.toHaveProperty(mode === 'user_id' ? 'to_open_id' : 'to_user_id');
  });
});
