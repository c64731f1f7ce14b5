import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import PayPage from '../../src/pages/pay/index';
import { platformDouble } from '../doubles/platform';
import { apiError, deferred, mockApi, nav, never, setParams, storageSet } from '../helpers';
import { order, wechatPayment } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const ORDER = 'MIP20250301000001';
const getOrder = `GET /api/orders/${ORDER}`;
const payOrder = `POST /api/orders/${ORDER}/pay`;
/** HIS's estimate asked ¥15.75 of ¥25.00; the centre's 6202 split asks ¥6.00 */
const estimate = order({ amounts: { totalFen: 2500, fundFen: 925, acctFen: 0, cashFen: 1575 }, amountsFinal: false, state: 'created', stateLabel: '待支付' });
const settled = order({ amounts: { totalFen: 2500, fundFen: 1400, acctFen: 500, cashFen: 600 }, amountsFinal: true });
const presettled = { data: { order: settled, payment: wechatPayment } };
const payCalls = (calls: { url: string; method: string }[]) => calls.filter((c) => c.method === 'POST' && c.url === `/api/orders/${ORDER}/pay`);

async function shown(): Promise<HTMLElement> {
  return screen.findByText('确认支付 ¥6.00');
}

describe('payment page (C1/C12)', () => {
  beforeEach(() => setParams({ orderNo: ORDER }));

  test('shows a loading state while the centre works out the split', () => {
    mockApi({ [getOrder]: never });
    render(<PayPage />);
    expect(screen.getByText('正在核算医保报销金额，请稍候…')).toBeTruthy();
  });

  test('says there is nothing to pay without an order number', () => {
    setParams({});
    render(<PayPage />);
    expect(screen.getByText('没有找到要支付的订单。')).toBeTruthy();
  });

  test('shows the error with a retry button when the order cannot be loaded', async () => {
    mockApi({ [getOrder]: apiError(404, 'ORDER_NOT_FOUND', '没有找到这笔订单') });
    render(<PayPage />);
    expect(await screen.findByText('没有找到这笔订单')).toBeTruthy();
    expect(q('retry')).not.toBeNull();
  });

  test("shows the centre's pre-settled split, not HIS's estimate, total first, and the amount on the button", async () => {
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    await shown();
    const ids = ['amount-total', 'amount-insurance', 'amount-fund', 'amount-acct', 'amount-cash'];
    expect(ids.map((id) => q(id)!.textContent)).toEqual(['¥25.00', '¥19.00', '¥14.00', '¥5.00', '¥6.00']);
    expect(Array.from(document.querySelectorAll('[id^="amount-"]')).map((e) => e.id)).toEqual(ids);
    expect(q('amount-total')!.parentElement!.className).toContain('amount--total');
    expect(screen.getByText('个人自付（微信支付）')).toBeTruthy();
    expect(document.body.textContent).not.toContain('15.75元');
  });

  test('opens the pay sheet only when the patient taps', async () => {
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    await shown();
    expect(platformDouble.pay).not.toHaveBeenCalled();
  });

  test('says plainly when the split differs from the estimate shown before', async () => {
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    await shown();
    expect(q('pay-changed')!.textContent).toContain('您本次需支付 ¥6.00（之前显示 ¥15.75）');
  });

  test('shows the hospital, the 医保移动支付 mark, the payer masked and the time left to pay', async () => {
    const payBefore = new Date(Date.now() + 10 * 60_000 + 30_000).toISOString();
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: { data: { order: { ...settled, payBefore }, payment: wechatPayment } } });
    render(<PayPage />);
    await shown();
    expect(q('pay-hospital')!.textContent).toBe('广州市第一人民医院');
    expect(q('pay-header')!.textContent).toContain('医保移动支付');
    expect(q('payer-name')!.textContent).toBe('张**');
    expect(q('payer-id')!.textContent).toBe('440106********2134');
    expect(q('pay-deadline')!.textContent).toMatch(/^10 分 \d\d 秒$/);
    expect(document.querySelectorAll('#pay-button')).toHaveLength(1);
  });

  test('asks for message subscription on the tap, before the pay sheet', async () => {
    const seen: string[] = [];
    platformDouble.requestSubscribe.mockImplementation(async () => {
      seen.push('subscribe');
    });
    platformDouble.pay.mockImplementation(async () => {
      seen.push('sheet');
      return { outcome: 'ok' };
    });
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    fireEvent.click(await shown());
    await waitFor(() => expect(seen).toEqual(['subscribe', 'sheet']));
    expect(platformDouble.requestSubscribe.mock.calls[0][0].subscribeTemplateIds.wechat).toEqual(['TPL-REG', 'TPL-PAY']);
  });

  test('hands the PayParams to the platform and goes to the result page to confirm', async () => {
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    fireEvent.click(await shown());
    await screen.findByText('正在支付，请稍候…');
    await waitFor(() => expect(platformDouble.pay).toHaveBeenCalledWith(wechatPayment, expect.objectContaining({ hospitalName: '广州市第一人民医院' })));
    await waitFor(() => expect(nav.redirectTo()).toEqual([`/pages/result/index?orderNo=${ORDER}&outcome=ok`]));
  });

  test('cannot be tapped twice into a second payment', async () => {
    const d = deferred<{ data: unknown }>();
    let n = 0;
    const calls = mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: () => (++n === 1 ? presettled : d.promise) });
    render(<PayPage />);
    const button = (await shown()).closest('button')!;
    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.click(button);
    expect(await screen.findByText('正在支付，请稍候…')).toBeTruthy();
    expect((q('pay-button') as HTMLButtonElement).disabled).toBe(true);
    d.resolve(presettled);
    await waitFor(() => expect(nav.redirectTo()).toHaveLength(1));
    expect(payCalls(calls)).toHaveLength(2); // the pre-settlement on opening, then the one tap
    expect(platformDouble.pay).toHaveBeenCalledTimes(1);
  });

  test('shows the new split and waits for another tap when the amounts moved after showing', async () => {
    const moved = order({ amounts: { totalFen: 2500, fundFen: 1400, acctFen: 0, cashFen: 1100 }, amountsFinal: true });
    let n = 0;
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: () => (++n === 1 ? presettled : { data: { order: moved, payment: wechatPayment } }) });
    render(<PayPage />);
    fireEvent.click(await shown());
    expect(await screen.findByText('确认支付 ¥11.00')).toBeTruthy();
    expect(q('pay-changed')!.textContent).toContain('您本次需支付 ¥11.00（之前显示 ¥6.00）');
    expect(platformDouble.pay).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('确认支付 ¥11.00'));
    await waitFor(() => expect(platformDouble.pay).toHaveBeenCalledTimes(1));
  });

  test('asks the patient to upgrade WeChat when the pay call is missing, and lets them try again', async () => {
    platformDouble.pay.mockResolvedValue({ outcome: 'unsupported', message: '您的微信版本过低，不能使用医保支付。请把微信升级到最新版本后再支付。' });
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    fireEvent.click(await shown());
    expect(await screen.findByText('您的微信版本过低，不能使用医保支付。请把微信升级到最新版本后再支付。')).toBeTruthy();
    expect(await shown()).toBeTruthy();
    expect(nav.redirectTo()).toEqual([]);
  });

  test('goes straight to the result when nothing is left to pay in the channel', async () => {
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: { data: { order: settled, payment: null } } });
    render(<PayPage />);
    fireEvent.click(await shown());
    await waitFor(() => expect(nav.redirectTo()).toEqual([`/pages/result/index?orderNo=${ORDER}&outcome=none`]));
    expect(platformDouble.pay).not.toHaveBeenCalled();
  });

  test('passes the platform failure on to the result page', async () => {
    platformDouble.pay.mockResolvedValue({ outcome: 'fail', message: '支付没有完成' });
    mockApi({ [getOrder]: { data: { order: estimate } }, [payOrder]: presettled });
    render(<PayPage />);
    fireEvent.click(await shown());
    await waitFor(() => expect(nav.redirectTo()).toEqual([`/pages/result/index?orderNo=${ORDER}&outcome=fail&message=${encodeURIComponent('支付没有完成')}`]));
  });

  test('offers the authorization on the pay page itself when the centre cannot pre-settle without it, and pre-settles the same order after it', async () => {
    let authorized = false;
    const calls = mockApi({
      [getOrder]: { data: { order: estimate } },
      [payOrder]: () => (authorized ? presettled : apiError(409, 'AUTHORIZATION_REQUIRED', '请先完成医保电子凭证授权')),
      'POST /api/insurance/authorization': () => {
        authorized = true;
        return { data: { status: 'authorized', expiresInSeconds: 240 } };
      },
    });
    render(<PayPage />);
    expect(await screen.findByText('请先完成医保电子凭证授权')).toBeTruthy();
    // one decision at a time: while authorization is the next step, there is no pay button to tap in vain
    expect(q('pay-button')).toBeNull();
    expect(q('amount-cash')).toBeNull(); // no estimate offered as if it were the split
    fireEvent.click(q('pay-authorize')!);
    await shown();
    expect(nav.navigateTo()).toEqual([]);
    expect(platformDouble.getInsuranceAuthCode).toHaveBeenCalledWith(expect.anything(), { familyPay: false });
    expect(payCalls(calls)).toHaveLength(2);
  });

  test("asks for 亲情付 on a family member's order and says whom the order is for", async () => {
    const forMother = order({ ...estimate, patient: { nameMasked: '王**', idNoMasked: '440105********3245', relationLabel: '父母', memberId: 'fmAAAAAAAAAAAA' } });
    mockApi({ [getOrder]: { data: { order: forMother } }, [payOrder]: apiError(409, 'FAMILY_PAY_REQUIRED', '请为家人开通亲情付或选择自费') });
    render(<PayPage />);
    expect(await screen.findByText('请为家人开通亲情付或选择自费')).toBeTruthy();
    expect(q('pay-authorize')!.textContent).toBe('开通亲情付，继续支付');
    expect(q('payer-name')!.textContent).toBe('父母 王**');
    fireEvent.click(q('pay-authorize')!);
    await waitFor(() => expect(platformDouble.getInsuranceAuthCode).toHaveBeenCalledWith(expect.anything(), { familyPay: true }));
  });

  test('does not offer to pay an order that is already paid, and does not pre-settle it', async () => {
    const calls = mockApi({ [getOrder]: { data: { order: order({ state: 'completed', stateLabel: '支付成功', canPay: false, canCancel: false, amountsFinal: true }) } } });
    render(<PayPage />);
    expect(await screen.findByText('查看支付结果')).toBeTruthy();
    expect(q('pay-button')).toBeNull();
    expect(payCalls(calls)).toHaveLength(0);
  });

  test('says 支付确认中 and offers no payment when the patient already paid in the sheet', async () => {
    storageSet('sheetPaid', { [ORDER]: Date.now() - 60_000 });
    const calls = mockApi({ [getOrder]: { data: { order: settled } } });
    render(<PayPage />);
    expect(await screen.findByText('查看支付结果')).toBeTruthy();
    expect(q('pay-confirming')!.textContent).toContain('支付确认中');
    expect(q('pay-confirming')!.textContent).toContain('请不要重复支付');
    expect(q('pay-button')).toBeNull();
    expect(payCalls(calls)).toHaveLength(0);
  });
});
