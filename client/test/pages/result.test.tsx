import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ResultPage from '../../src/pages/result/index';
import { pollTiming } from '../../src/lib/confirm';
import type { OrderView } from '@mip/shared/src/contract/schemas';
import { apiError, deferred, mockApi, nav, setParams } from '../helpers';
import { order } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const ORDER = 'MIP20250301000001';
const getOrder = `GET /api/orders/${ORDER}`;
const saved = { ...pollTiming };

/** Answers GET /api/orders/:orderNo with these orders in turn (the last one repeats). */
function states(...os: Array<Partial<OrderView>>) {
  let i = 0;
  return mockApi({ [getOrder]: () => ({ data: { order: order(os[Math.min(i++, os.length - 1)]) } }) });
}

/** the status requests among the calls, with or without a wait */
const statusRequests = (calls: Array<{ url: string }>) => calls.filter((c) => c.url.split('?')[0] === `/api/orders/${ORDER}`);

const completed: Partial<OrderView> = { state: 'completed', stateLabel: '支付成功', canPay: false, canCancel: false, amountsFinal: true, paidAt: '2025-03-01T08:05:00+08:00' };

describe('result page', () => {
  beforeEach(() => {
    Object.assign(pollTiming, { waitSeconds: 1, retryDelayMs: 5, limitMs: 400 });
    setParams({ orderNo: ORDER, outcome: 'ok' });
  });
  afterAll(() => Object.assign(pollTiming, saved));

  test('says "支付确认中" until the BFF has answered', async () => {
    const d = deferred<{ data: unknown }>();
    mockApi({ [getOrder]: () => d.promise });
    render(<ResultPage />);
    expect(q('result-heading')!.textContent).toBe('支付确认中');
    expect(q('result-state')!.getAttribute('data-phase')).toBe('confirming');
    expect(q('pay-button')).toBeNull();
    d.resolve({ data: { order: order(completed) } });
    await screen.findByText('支付成功');
  });

  test('keeps asking the BFF until the payment is confirmed, and only then says paid', async () => {
    const calls = states({ state: 'awaiting_confirmation', stateLabel: '支付确认中', canPay: false }, { state: 'paid', stateLabel: '已支付，医院确认中', canPay: false }, completed);
    render(<ResultPage />);
    expect(await screen.findByText('支付成功')).toBeTruthy();
    expect(statusRequests(calls)).toHaveLength(3);
    expect(q('result-state')!.getAttribute('data-state')).toBe('completed');
    expect(q('result-text')!.textContent).toContain('挂号成功');
    expect(q('result-amounts')!.textContent).toContain('¥25.00');
  });

  test('asks for the result with two waiting requests in a normal payment', async () => {
    const calls = states({ state: 'paid', stateLabel: '已支付，医院确认中', canPay: false }, completed);
    render(<ResultPage />);
    expect(await screen.findByText('支付成功')).toBeTruthy();
    expect(statusRequests(calls).map((c) => c.url)).toEqual([
      `/api/orders/${ORDER}?waitFor=awaiting_payment&timeout=1`,
      `/api/orders/${ORDER}?waitFor=paid&timeout=1`,
    ]);
  });

  test('gives a waiting request a timeout longer than its server-side wait', async () => {
    states(completed);
    render(<ResultPage />);
    await screen.findByText('支付成功');
    const sent = (Taro.request as jest.Mock).mock.calls.map(([o]) => o as { url: string; timeout: number }).filter((o) => o.url.includes('waitFor='));
    expect(sent[0].timeout).toBeGreaterThan(pollTiming.waitSeconds * 1000);
  });

  test('asks again after a slower retry when a waiting request fails', async () => {
    let n = 0;
    const calls = mockApi({ [getOrder]: () => (n++ < 3 ? Promise.reject(new Error('timeout')) : { data: { order: order(completed) } }) });
    render(<ResultPage />);
    expect(await screen.findByText('支付成功')).toBeTruthy();
    expect(statusRequests(calls)).toHaveLength(4); // one request and its two quick retries failed, then one after the slower retry
  });

  test('stops at the time limit, says the result is still being confirmed and offers a refresh', async () => {
    const calls = states({ state: 'awaiting_confirmation', stateLabel: '支付确认中', canPay: false });
    render(<ResultPage />);
    expect(await screen.findByText('刷新结果', {}, { timeout: 3000 })).toBeTruthy();
    expect(q('result-state')!.getAttribute('data-phase')).toBe('timeout');
    expect(q('result-state')!.getAttribute('data-state')).toBe('awaiting_confirmation');
    expect(q('result-text')!.textContent).toContain('请不要重复支付');
    const before = calls.length;
    fireEvent.click(q('result-refresh')!);
    await waitFor(() => expect(calls.length).toBeGreaterThan(before));
    await screen.findByText('刷新结果', {}, { timeout: 3000 });
  });

  test('tells a failed payment apart and offers to pay again', async () => {
    states({ state: 'failed', stateLabel: '支付未成功', canPay: true });
    render(<ResultPage />);
    expect(await screen.findByText('支付未成功')).toBeTruthy();
    expect(q('result-text')!.textContent).toContain('没有扣您的钱');
    fireEvent.click(q('retry-pay')!);
    expect(nav.redirectTo()).toEqual([`/pages/pay/index?orderNo=${ORDER}`]);
  });

  test('tells a cancelled order apart and leads home', async () => {
    states({ state: 'cancelled', stateLabel: '已取消', canPay: false, canCancel: false });
    render(<ResultPage />);
    expect(await screen.findByText('订单已取消')).toBeTruthy();
    expect(q('retry-pay')).toBeNull();
    fireEvent.click(q('go-home')!);
    expect(nav.reLaunch()).toEqual(['/pages/index/index']);
  });

  test('asks the patient not to pay twice while a person checks the payment', async () => {
    states({ state: 'manual_review', stateLabel: '人工核对中', canPay: false });
    render(<ResultPage />);
    expect(await screen.findByText('人工核对中')).toBeTruthy();
    expect(q('result-text')!.textContent).toContain('请不要重复支付');
  });

  test('after the platform said "fail", shows the unfinished payment at once with a retry', async () => {
    setParams({ orderNo: ORDER, outcome: 'fail', message: encodeURIComponent('支付没有完成') });
    const calls = states({ state: 'awaiting_payment' });
    render(<ResultPage />);
    expect(await screen.findByText('支付未完成')).toBeTruthy();
    expect(q('result-text')!.textContent).toBe('您可以重新支付，或到医院窗口缴费。'); // the heading already says it did not finish
    expect(statusRequests(calls)).toHaveLength(1);
    expect(q('retry-pay')).not.toBeNull();
  });

  test('after the patient cancelled in the platform, says so in its own words', async () => {
    setParams({ orderNo: ORDER, outcome: 'cancel' });
    states({ state: 'awaiting_payment' });
    render(<ResultPage />);
    expect(await screen.findByText('您已取消支付')).toBeTruthy();
  });

  test('shows an error with a retry when the order cannot be read at all', async () => {
    mockApi({ [getOrder]: apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试') });
    render(<ResultPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试', {}, { timeout: 3000 })).toBeTruthy();
    expect(q('result-state')!.getAttribute('data-phase')).toBe('error');
    expect(q('retry')).not.toBeNull();
  });
});
