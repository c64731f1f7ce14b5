import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import OrdersPage from '../../src/pages/orders/index';
import OrderPage from '../../src/pages/order/index';
import { apiError, mockApi, nav, never, setParams } from '../helpers';
import { order } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const ORDER = 'MIP20250301000001';
const down = apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试');

const refunded = order({
  state: 'partially_refunded',
  stateLabel: '部分退款',
  canPay: false,
  canCancel: false,
  amountsFinal: true,
  paidAt: '2025-03-01T08:05:00+08:00',
  refunds: [
    {
      refundNo: 'R1',
      state: 'succeeded',
      amounts: { totalFen: 1000, fundFen: 600, acctFen: 200, cashFen: 200 },
      reason: '退药',
      createdAt: '2025-03-02T10:00:00+08:00',
      finishedAt: '2025-03-02T10:05:00+08:00',
    },
  ],
});

describe('my orders page', () => {
  test("says whom a family member's order is for", async () => {
    const forMother = order({ patient: { nameMasked: '王**', idNoMasked: '440105********3245', relationLabel: '父母', memberId: 'fmAAAAAAAAAAAA' } });
    mockApi({ 'GET /api/orders': { data: { orders: [forMother] } } });
    render(<OrdersPage />);
    expect(await screen.findByText('就诊人：父母 王**')).toBeTruthy();
  });

  test('shows a loading state while orders load', () => {
    mockApi({ 'GET /api/orders': never });
    render(<OrdersPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('says so when there are no orders yet', async () => {
    mockApi({ 'GET /api/orders': { data: { orders: [] } } });
    render(<OrdersPage />);
    expect(await screen.findByText('您还没有订单。')).toBeTruthy();
  });

  test('shows the error with a retry button', async () => {
    mockApi({ 'GET /api/orders': down });
    render(<OrdersPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
  });

  test('lists orders with their state in words and opens one', async () => {
    mockApi({ 'GET /api/orders': { data: { orders: [refunded] } } });
    render(<OrdersPage />);
    expect(await screen.findByText('部分退款')).toBeTruthy();
    expect(q(`order-${ORDER}`)!.textContent).toContain('退款 1 笔');
    fireEvent.click(q(`order-${ORDER}`)!);
    expect(nav.navigateTo()).toEqual([`/pages/order/index?orderNo=${ORDER}`]);
  });
});

describe('order detail page', () => {
  beforeEach(() => setParams({ orderNo: ORDER }));

  test('shows a loading state while the order loads', () => {
    mockApi({ [`GET /api/orders/${ORDER}`]: never });
    render(<OrderPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('shows the error with a retry button', async () => {
    mockApi({ [`GET /api/orders/${ORDER}`]: apiError(404, 'ORDER_NOT_FOUND', '没有找到这笔订单') });
    render(<OrderPage />);
    expect(await screen.findByText('没有找到这笔订单')).toBeTruthy();
  });

  test('says there are no refunds when there are none', async () => {
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: order() } } });
    render(<OrderPage />);
    expect(await screen.findByText('没有退款记录。')).toBeTruthy();
  });

  test('shows the payment split, the paid time and every refund', async () => {
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: refunded } } });
    render(<OrderPage />);
    await screen.findByText('部分退款');
    expect(q('order-paid-at')!.textContent).toBe('2025-03-01 08:05');
    expect(q('refund-R1')!.textContent).toContain('退款 ¥10.00 · 退款成功');
    expect(q('refund-R1')!.textContent).toContain('医保退回 ¥8.00 · 自付退回 ¥2.00');
    expect(q('refund-R1')!.textContent).toContain('原因：退药');
    expect(q('order-pay')).toBeNull();
    expect(q('order-cancel')).toBeNull();
  });

  test('lists the payments taken: insurance and self-pay, with amounts and China time', async () => {
    const paid = order({
      state: 'completed',
      stateLabel: '支付成功',
      canPay: false,
      canCancel: false,
      amountsFinal: true,
      paidAt: '2025-03-01T00:05:00.000Z',
      payments: [
        { kind: 'insurance', amountFen: 2000, at: '2025-03-01T00:04:58.000Z', channel: 'wechat' },
        { kind: 'self_pay', amountFen: 500, at: '2025-03-01T08:04:59+08:00', channel: 'wechat' },
      ],
    });
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: paid } } });
    render(<OrderPage />);
    await screen.findByText('支付记录');
    expect(q('payment-insurance')!.textContent).toContain('医保支付¥20.00');
    expect(q('payment-insurance')!.textContent).toContain('支付时间 2025-03-01 08:04');
    expect(q('payment-self_pay')!.textContent).toContain('个人自付（微信支付）¥5.00');
    expect(q('payment-self_pay')!.textContent).toContain('支付时间 2025-03-01 08:04');
    // the BFF's UTC times are shown in China time
    expect(q('order-paid-at')!.textContent).toBe('2025-03-01 08:05');
  });

  test('shows no payment records for an unpaid order', async () => {
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: order() } } });
    render(<OrderPage />);
    await screen.findByText('去支付');
    expect(q('order-payments')).toBeNull();
    expect(screen.queryByText('支付记录')).toBeNull();
  });

  test('cancels an unpaid order after the patient confirms', async () => {
    const calls = mockApi({
      [`GET /api/orders/${ORDER}`]: { data: { order: order() } },
      [`POST /api/orders/${ORDER}/cancel`]: { data: { order: order({ state: 'cancelled', stateLabel: '已取消', canPay: false, canCancel: false }) } },
    });
    render(<OrderPage />);
    fireEvent.click((await screen.findByText('取消订单')).closest('button')!);
    expect(await screen.findByText('已取消')).toBeTruthy();
    expect(Taro.showModal).toHaveBeenCalled();
    expect(calls.filter((c) => c.url === `/api/orders/${ORDER}/cancel`)).toHaveLength(1);
    await waitFor(() => expect(q('order-cancel')).toBeNull());
  });

  test('offers to pay an unpaid order', async () => {
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: order() } } });
    render(<OrderPage />);
    fireEvent.click((await screen.findByText('去支付')).closest('button')!);
    expect(nav.navigateTo()).toEqual([`/pages/pay/index?orderNo=${ORDER}`]);
  });
});
