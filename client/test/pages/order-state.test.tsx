import { render, screen } from '@testing-library/react';
import OrdersPage from '../../src/pages/orders/index';
import OrderPage from '../../src/pages/order/index';
import { mockApi, setParams, storageSet } from '../helpers';
import { order } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const ORDER = 'MIP20250301000001';
const inTenMinutes = () => new Date(Date.now() + 10 * 60_000 + 30_000).toISOString();

describe('one truthful order state on every page', () => {
  test('my orders says 支付确认中 and what happens next for an order paid in the sheet', async () => {
    storageSet('sheetPaid', { [ORDER]: Date.now() - 30_000 });
    mockApi({ 'GET /api/orders': { data: { orders: [order({ payBefore: inTenMinutes() })] } } });
    render(<OrdersPage />);
    await screen.findByText('支付确认中');
    const row = q(`order-${ORDER}`)!.textContent!;
    expect(row).toContain('请不要重复支付');
    expect(row).not.toContain('待支付');
    expect(row).not.toContain('内支付');
  });

  test('the order page offers neither paying nor cancelling while the payment is confirmed', async () => {
    storageSet('sheetPaid', { [ORDER]: Date.now() - 30_000 });
    setParams({ orderNo: ORDER });
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: order() } } });
    render(<OrderPage />);
    await screen.findByText('支付确认中');
    expect(q('order-confirming')!.textContent).toContain('请不要重复支付');
    expect(q('order-pay')).toBeNull();
    expect(q('order-cancel')).toBeNull();
  });

  test('an unpaid order shows the time left before it is released', async () => {
    mockApi({ 'GET /api/orders': { data: { orders: [order({ payBefore: inTenMinutes() })] } } });
    render(<OrdersPage />);
    await screen.findByText('待支付');
    expect(q(`order-${ORDER}`)!.textContent).toMatch(/请在 10 分 \d\d 秒 内支付，超时自动取消/);
  });

  test('an unpaid order past its deadline is not offered for payment', async () => {
    setParams({ orderNo: ORDER });
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: order({ payBefore: new Date(Date.now() - 1000).toISOString() }) } } });
    render(<OrderPage />);
    await screen.findByText('已超过支付时间，正在取消');
    expect(q('order-pay')).toBeNull();
  });

  test('my orders and the order page show department, doctor and the visit day with weekday and period', async () => {
    mockApi({ 'GET /api/orders': { data: { orders: [order()] } } });
    render(<OrdersPage />);
    await screen.findByText('待支付');
    // fixture visit: 2099-03-02 08:00:00 (a Monday)
    expect(q(`order-${ORDER}`)!.textContent).toContain('内科 李医生 · 3月2日 周一 上午 08:00 开始');
    expect(q(`order-${ORDER}`)!.textContent).not.toContain('2099-03-02 08:00:00');
  });
});
