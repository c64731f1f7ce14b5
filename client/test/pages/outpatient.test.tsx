import { fireEvent, render, screen } from '@testing-library/react';
import BillsPage from '../../src/pages/bills/index';
import BillPage from '../../src/pages/bill/index';
import { apiError, mockApi, nav, never, setParams } from '../helpers';
import { bill, bills, order } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const down = apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试');

describe('unpaid bills page (C13)', () => {
  test('shows a loading state while bills load', () => {
    mockApi({ 'GET /api/outpatient/bills': never });
    render(<BillsPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('says so when nothing is left to pay', async () => {
    mockApi({ 'GET /api/outpatient/bills': { data: { bills: [] } } });
    render(<BillsPage />);
    expect(await screen.findByText('您目前没有待缴的门诊费用。')).toBeTruthy();
  });

  test('shows the error with a retry button', async () => {
    mockApi({ 'GET /api/outpatient/bills': down });
    render(<BillsPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
    expect(q('retry')).not.toBeNull();
  });

  test('lists bills with their total and opens the chosen one', async () => {
    mockApi({ 'GET /api/outpatient/bills': { data: bills } });
    render(<BillsPage />);
    await screen.findByText('门诊处方 · ¥123.45');
    expect(q('bill-B20250301001')!.getAttribute('aria-label')).toContain('123.45元');
    fireEvent.click(q('bill-B20250301001')!);
    expect(nav.navigateTo()).toEqual(['/pages/bill/index?billNo=B20250301001']);
  });
});

describe('bill detail page (C13)', () => {
  beforeEach(() => setParams({ billNo: 'B20250301001' }));

  test('shows a loading state while the bill loads', () => {
    mockApi({ 'GET /api/outpatient/bills/B20250301001': never });
    render(<BillPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('says so when the bill has no items', async () => {
    mockApi({ 'GET /api/outpatient/bills/B20250301001': { data: { bill: { ...bill.bill, items: [] } } } });
    render(<BillPage />);
    expect(await screen.findByText('这张单据没有费用明细，请到医院窗口咨询。')).toBeTruthy();
  });

  test('shows the error when the bill is gone', async () => {
    mockApi({ 'GET /api/outpatient/bills/B20250301001': apiError(404, 'BILL_NOT_FOUND', '没有找到这笔待缴费用') });
    render(<BillPage />);
    expect(await screen.findByText('没有找到这笔待缴费用')).toBeTruthy();
  });

  test('lists every fee item with quantity, price and category', async () => {
    mockApi({ 'GET /api/outpatient/bills/B20250301001': { data: bill } });
    render(<BillPage />);
    await screen.findByText('阿莫西林胶囊');
    expect(q('bill-items')!.textContent).toContain('0.25g*24粒 · 1盒 × ¥23.45 · 甲类');
    expect(q('bill-total')!.textContent).toBe('¥123.45');
  });

  test('creates an outpatient order for the bill and goes to pay', async () => {
    const calls = mockApi({
      'GET /api/outpatient/bills/B20250301001': { data: bill },
      'POST /api/orders': { data: { order: order({ kind: 'outpatient', orderNo: 'MIP20250301000009' }) } },
    });
    render(<BillPage />);
    fireEvent.click((await screen.findByText('去缴费')).closest('button')!);
    await screen.findByText('去缴费');
    const post = calls.find((c) => c.url === '/api/orders')!;
    expect(post.data).toEqual({ kind: 'outpatient', billNos: ['B20250301001'] });
    expect(post.header['Idempotency-Key']).toBeTruthy();
    expect(nav.redirectTo()).toEqual(['/pages/pay/index?orderNo=MIP20250301000009']);
  });

  test('links to the order that already holds the bill', async () => {
    setParams({ billNo: 'B20250301001' });
    mockApi({
      'GET /api/outpatient/bills/B20250301001': { data: bill },
      'POST /api/orders': { status: 409, data: { error: { code: 'BILL_IN_OTHER_ORDER', message: '这笔费用已在您的另一笔订单里，没有重复扣款。请到那笔订单继续支付或查看结果', details: { orderNo: 'MIP20250301000007' } } } },
    });
    render(<BillPage />);
    fireEvent.click((await screen.findByText('去缴费')).closest('button')!);
    expect(await screen.findByText('查看那笔订单')).toBeTruthy();
    fireEvent.click(q('error-action')!);
    expect(nav.navigateTo()).toEqual(['/pages/order/index?orderNo=MIP20250301000007']);
  });
});
