import { fireEvent, render, screen } from '@testing-library/react';
import BillsPage from '../../src/pages/bills/index';
import BillPage from '../../src/pages/bill/index';
import { mockApi, nav, setParams } from '../helpers';
import { bill, bills, order } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const mother = { memberId: 'fmAAAAAAAAAAAA', relation: 'parent', relationLabel: '父母', nameMasked: '王**', idNoMasked: '440105********3245', region: { code: '440100', name: '广州市' }, insured: true };
const motherBill = { ...bills.bills[0], billNo: 'B20250301009', title: '检验申请单' };

describe('bills for a family member (就诊人)', () => {
  test("lists the chosen family member's bills by their opaque memberId and opens one for them", async () => {
    const calls = mockApi({
      'GET /api/family': { data: { members: [mother], max: 5 } },
      'GET /api/outpatient/bills': { data: bills },
      'GET /api/outpatient/bills?memberId=fmAAAAAAAAAAAA': { data: { bills: [motherBill] } },
    });
    render(<BillsPage />);
    await screen.findByText('门诊处方 · ¥123.45');
    expect(q('who-for')!.textContent).toContain('为谁缴费（就诊人）');
    fireEvent.click(await screen.findByText('父母 王**'));
    await screen.findByText('检验申请单 · ¥123.45');
    expect(calls.every((c) => !/王|440105/.test(c.url))).toBe(true);
    fireEvent.click(q('bill-B20250301009')!);
    expect(nav.navigateTo()).toEqual(['/pages/bill/index?billNo=B20250301009&memberId=fmAAAAAAAAAAAA']);
  });

  test("reads a family member's bill with their memberId and creates the order for them", async () => {
    setParams({ billNo: 'B20250301001', memberId: 'fmAAAAAAAAAAAA' });
    const calls = mockApi({
      'GET /api/outpatient/bills/B20250301001?memberId=fmAAAAAAAAAAAA': { data: bill },
      'POST /api/orders': { data: { order: order({ kind: 'outpatient', orderNo: 'MIP20250301000011' }) } },
    });
    render(<BillPage />);
    fireEvent.click((await screen.findByText('去缴费')).closest('button')!);
    await screen.findByText('去缴费');
    expect(calls.find((c) => c.url === '/api/orders')!.data).toEqual({ kind: 'outpatient', billNos: ['B20250301001'], memberId: 'fmAAAAAAAAAAAA' });
  });
});

describe('a bill held by a pending order', () => {
  test('links from the bills list to the order that holds the bill', async () => {
    mockApi({ 'GET /api/outpatient/bills': { data: { bills: [{ ...bills.bills[0], heldByOrderNo: 'O2503010910ABC123' }] } } });
    render(<BillsPage />);
    fireEvent.click(await screen.findByText('已在订单中待支付，查看那笔订单'));
    expect(nav.navigateTo()).toEqual(['/pages/order/index?orderNo=O2503010910ABC123']);
  });

  test('shows no order link for a bill no order holds', async () => {
    mockApi({ 'GET /api/outpatient/bills': { data: bills } });
    render(<BillsPage />);
    await screen.findByText('门诊处方 · ¥123.45');
    expect(q('bill-held-B20250301001')).toBeNull();
  });
});
