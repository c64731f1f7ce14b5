import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import PayPage from '../../src/pages/pay/index';
import { platformDouble } from '../doubles/platform';
import { apiError, deferred, mockApi, nav, never, setParams } from '../helpers';
import { order, wechatPayment } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const ORDER = 'MIP20250301000001';
const getOrder = `GET /api/orders/${ORDER}`;
const payOrder = `POST /api/orders/${ORDER}/pay`;
const paid = { data: { order: order({ amountsFinal: true }), payment: wechatPayment } };

describe('payment page (C1/C12)', () => {
  beforeEach(() => setParams({ orderNo: ORDER }));

  test('shows a loading state while the fees are worked out', () => {
    mockApi({ [getOrder]: never });
    render(<PayPage />);
    expect(screen.getByText('正在核算费用，请稍候…')).toBeTruthy();
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

  test('lays out total, insurance part with fund and account, then self-pay, in that order', async () => {
    mockApi({ [getOrder]: { data: { order: order() } } });
    render(<PayPage />);
    await screen.findByText('确认支付');
    const ids = ['amount-total', 'amount-insurance', 'amount-fund', 'amount-acct', 'amount-cash'];
    const texts = ids.map((id) => q(id)!.textContent);
    expect(texts).toEqual(['¥25.00', '¥20.00', '¥15.00', '¥5.00', '¥5.00']);
    const all = Array.from(document.querySelectorAll('[id^="amount-"]')).map((e) => e.id);
    expect(all).toEqual(ids);
    expect(q('amount-total')!.parentElement!.className).toContain('amount--total');
    expect(q('amount-fund')!.parentElement!.getAttribute('aria-label')).toBe('其中 统筹基金15.00元');
    expect(screen.getByText('个人自付（微信支付）')).toBeTruthy();
  });

  test('shows the hospital and the payer masked', async () => {
    mockApi({ [getOrder]: { data: { order: order() } } });
    render(<PayPage />);
    await screen.findByText('确认支付');
    expect(q('pay-hospital')!.textContent).toBe('广州市第一人民医院');
    expect(q('payer-name')!.textContent).toBe('张**');
    expect(q('payer-id')!.textContent).toBe('440106********2134');
    expect(q('pay-estimate')).not.toBeNull();
    expect(document.querySelectorAll('#pay-button')).toHaveLength(1);
  });

  test('asks for message subscription on the tap, before the pay call', async () => {
    const order_: string[] = [];
    platformDouble.requestSubscribe.mockImplementation(async () => {
      order_.push('subscribe');
    });
    mockApi({
      [getOrder]: { data: { order: order() } },
      [payOrder]: () => {
        order_.push('pay');
        return paid;
      },
    });
    render(<PayPage />);
    fireEvent.click(await screen.findByText('确认支付'));
    await screen.findByText('正在支付，请稍候…');
    await screen.findByText('正在支付，请稍候…');
    expect(order_).toEqual(['subscribe', 'pay']);
    expect(platformDouble.requestSubscribe.mock.calls[0][0].subscribeTemplateIds.wechat).toEqual(['TPL-REG', 'TPL-PAY']);
  });

  test('hands the PayParams to the platform and goes to the result page to confirm', async () => {
    mockApi({ [getOrder]: { data: { order: order() } }, [payOrder]: paid });
    render(<PayPage />);
    fireEvent.click(await screen.findByText('确认支付'));
    await screen.findByText('正在支付，请稍候…');
    await waitFor(() => expect(platformDouble.pay).toHaveBeenCalledWith(wechatPayment, expect.objectContaining({ hospitalName: '广州市第一人民医院' })));
    await waitFor(() => expect(nav.redirectTo()).toHaveLength(1));
    expect(nav.redirectTo()).toEqual([`/pages/result/index?orderNo=${ORDER}&outcome=ok`]);
  });

  test('cannot be tapped twice into a second payment', async () => {
    const d = deferred<{ data: unknown }>();
    const calls = mockApi({ [getOrder]: { data: { order: order() } }, [payOrder]: () => d.promise });
    render(<PayPage />);
    const button = (await screen.findByText('确认支付')).closest('button')!;
    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.click(button);
    expect(await screen.findByText('正在支付，请稍候…')).toBeTruthy();
    expect((q('pay-button') as HTMLButtonElement).disabled).toBe(true);
    d.resolve(paid);
    await waitFor(() => expect(nav.redirectTo()).toHaveLength(1));
    expect(calls.filter((c) => c.url === `/api/orders/${ORDER}/pay`)).toHaveLength(1);
    expect(platformDouble.pay).toHaveBeenCalledTimes(1);
    expect((q('pay-button') as HTMLButtonElement).disabled).toBe(true);
  });

  test('asks the patient to upgrade WeChat when the pay call is missing, and lets them try again', async () => {
    platformDouble.pay.mockResolvedValue({ outcome: 'unsupported', message: '您的微信版本过低，不能使用医保支付。请把微信升级到最新版本后再支付。' });
    mockApi({ [getOrder]: { data: { order: order() } }, [payOrder]: paid });
    render(<PayPage />);
    fireEvent.click(await screen.findByText('确认支付'));
    expect(await screen.findByText('您的微信版本过低，不能使用医保支付。请把微信升级到最新版本后再支付。')).toBeTruthy();
    expect(await screen.findByText('确认支付')).toBeTruthy();
    expect(nav.redirectTo()).toEqual([]);
  });

  test('goes straight to the result when nothing is left to pay in the channel', async () => {
    mockApi({ [getOrder]: { data: { order: order() } }, [payOrder]: { data: { order: order(), payment: null } } });
    render(<PayPage />);
    fireEvent.click(await screen.findByText('确认支付'));
    await screen.findByText('正在支付，请稍候…');
    await waitFor(() => expect(nav.redirectTo()).toEqual([`/pages/result/index?orderNo=${ORDER}&outcome=none`]));
    expect(platformDouble.pay).not.toHaveBeenCalled();
  });

  test('passes the platform failure on to the result page', async () => {
    platformDouble.pay.mockResolvedValue({ outcome: 'fail', message: '支付没有完成' });
    mockApi({ [getOrder]: { data: { order: order() } }, [payOrder]: paid });
    render(<PayPage />);
    fireEvent.click(await screen.findByText('确认支付'));
    await screen.findByText('正在支付，请稍候…');
    await waitFor(() => expect(nav.redirectTo()).toEqual([`/pages/result/index?orderNo=${ORDER}&outcome=fail&message=${encodeURIComponent('支付没有完成')}`]));
  });

  test('leads to the authorization when the BFF says it expired, then comes back here', async () => {
    mockApi({ [getOrder]: { data: { order: order() } }, [payOrder]: apiError(409, 'AUTHORIZATION_REQUIRED', '请先完成医保电子凭证授权') });
    render(<PayPage />);
    fireEvent.click(await screen.findByText('确认支付'));
    expect(await screen.findByText('请先完成医保电子凭证授权')).toBeTruthy();
    fireEvent.click(q('error-action')!);
    expect(nav.navigateTo()).toEqual([`/pages/auth/index?returnTo=${encodeURIComponent(`/pages/pay/index?orderNo=${ORDER}`)}`]);
    // one decision at a time: while authorization is the next step, there is no pay button to tap in vain
    expect(q('pay-button')).toBeNull();
  });

  test('does not offer to pay an order that is already paid', async () => {
    mockApi({ [getOrder]: { data: { order: order({ state: 'completed', stateLabel: '支付成功', canPay: false, canCancel: false }) } } });
    render(<PayPage />);
    expect(await screen.findByText('查看支付结果')).toBeTruthy();
    expect(q('pay-button')).toBeNull();
  });
});
