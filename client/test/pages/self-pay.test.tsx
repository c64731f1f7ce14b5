import { fireEvent, render, screen } from '@testing-library/react';
import PayPage from '../../src/pages/pay/index';
import RegConfirmPage from '../../src/pages/reg-confirm/index';
import { mockApi, setParams, storageSet } from '../helpers';
import { order, slots, wechatPayment } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const ORDER = 'MIP20250301000001';
const selfPaid = order({ payMode: 'self', amounts: { totalFen: 2500, fundFen: 0, acctFen: 0, cashFen: 2500 }, amountsFinal: true });

function select() {
  storageSet('selection', {
    dept: { code: 'NEIKE', name: '内科' },
    doctor: { code: 'D001', name: '李医生', title: '主任医师' },
    slot: slots.slots[0],
  });
  setParams({ slotId: 'S1' });
}

describe('self-pay (自费) in the client', () => {
  test('an insured patient is offered 不用医保，自费支付 beside the insurance button, and it orders 自费', async () => {
    select();
    const calls = mockApi({ 'POST /api/orders': { data: { order: selfPaid } } });
    render(<RegConfirmPage />);
    fireEvent.click(q('pay-self')!);
    await screen.findByText('确认挂号，去支付');
    expect(calls.find((c) => c.url === '/api/orders')!.data).toEqual({ kind: 'registration', slotId: 'S1', payMode: 'self' });
  });

  test('a patient who chose 自费 books 自费 with the main button and is told no insurance is used', async () => {
    select();
    storageSet('selfPay', true);
    const calls = mockApi({ 'POST /api/orders': { data: { order: selfPaid } } });
    render(<RegConfirmPage />);
    expect(q('self-pay-note')!.textContent).toContain('不用医保');
    expect(q('pay-insurance')).toBeNull(); // not verified: no insurance to offer
    fireEvent.click(q('confirm-registration')!);
    await screen.findByText('确认挂号，去支付（自费）');
    expect(calls.find((c) => c.url === '/api/orders')!.data).toEqual({ kind: 'registration', slotId: 'S1', payMode: 'self' });
  });

  test('the pay page of a 自费 order shows 自费 ¥x and no insurance rows', async () => {
    setParams({ orderNo: ORDER });
    mockApi({ [`GET /api/orders/${ORDER}`]: { data: { order: selfPaid } }, [`POST /api/orders/${ORDER}/pay`]: { data: { order: selfPaid, payment: wechatPayment } } });
    render(<PayPage />);
    await screen.findByText('确认支付 ¥25.00');
    expect(q('amount-self')!.textContent).toBe('¥25.00');
    expect(q('pay-self-mark')!.textContent).toContain('自费支付');
    for (const id of ['amount-insurance', 'amount-fund', 'amount-acct', 'amount-cash']) expect(q(id)).toBeNull();
    expect(document.body.textContent).not.toContain('医保移动支付');
  });
});
