import { fireEvent, render, screen } from '@testing-library/react';
import RegConfirmPage from '../../src/pages/reg-confirm/index';
import { apiError, deferred, mockApi, nav, setParams, storageSet } from '../helpers';
import { order, slots } from '../fixtures';

const q = (id: string) => document.getElementById(id);

function select() {
  storageSet('selection', {
    dept: { code: 'NEIKE', name: '内科', location: '门诊楼2楼' },
    doctor: { code: 'D001', name: '李医生', title: '主任医师' },
    slot: slots.slots[0],
  });
  setParams({ slotId: 'S1' });
}

describe('registration confirm page (C14)', () => {
  test('asks to choose again when the selection is gone', () => {
    setParams({ slotId: 'S1' });
    render(<RegConfirmPage />);
    expect(screen.getByText('没有找到您选择的号源，请重新选择。')).toBeTruthy();
  });

  test('shows department, doctor, time and fee', () => {
    select();
    render(<RegConfirmPage />);
    expect(q('reg-summary')!.textContent).toContain('内科');
    expect(q('reg-summary')!.textContent).toContain('李医生');
    expect(q('reg-summary')!.textContent).toContain('3月2日 周一 上午 08:00–08:30');
    expect(q('reg-fee')!.textContent).toBe('¥25.00');
  });

  test('creates the order with an Idempotency-Key and goes to the payment page', async () => {
    select();
    const calls = mockApi({ 'POST /api/orders': { data: { order: order() } } });
    render(<RegConfirmPage />);
    fireEvent.click(q('confirm-registration')!);
    await screen.findByText('确认挂号，去支付');
    const post = calls.find((c) => c.url === '/api/orders')!;
    expect(post.data).toEqual({ kind: 'registration', slotId: 'S1' });
    expect(post.header['Idempotency-Key']).toMatch(/^mip-/);
    expect(nav.redirectTo()).toEqual(['/pages/pay/index?orderNo=MIP20250301000001']);
  });

  test('creates one order however often the button is tapped', async () => {
    select();
    const d = deferred<{ data: unknown }>();
    const calls = mockApi({ 'POST /api/orders': () => d.promise });
    render(<RegConfirmPage />);
    fireEvent.click(q('confirm-registration')!);
    fireEvent.click(q('confirm-registration')!);
    expect(await screen.findByText('正在提交…')).toBeTruthy();
    expect(calls.filter((c) => c.url === '/api/orders')).toHaveLength(1);
  });

  test('sends the same Idempotency-Key again after a failed attempt', async () => {
    select();
    let n = 0;
    const calls = mockApi({
      'POST /api/orders': () => (++n === 1 ? apiError(504, 'PEER_TIMEOUT', '医保服务响应超时，请稍后查看订单结果') : { data: { order: order() } }),
    });
    render(<RegConfirmPage />);
    fireEvent.click(q('confirm-registration')!);
    expect(await screen.findByText('医保服务响应超时，请稍后查看订单结果')).toBeTruthy();
    fireEvent.click(q('confirm-registration')!);
    await screen.findByText('确认挂号，去支付');
    const keys = calls.filter((c) => c.url === '/api/orders').map((c) => c.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  test('offers to choose another time when the slot was taken meanwhile', async () => {
    select();
    mockApi({ 'POST /api/orders': apiError(409, 'SLOT_UNAVAILABLE', '该号源已约满，请选择其他时间') });
    render(<RegConfirmPage />);
    fireEvent.click(q('confirm-registration')!);
    expect(await screen.findByText('该号源已约满，请选择其他时间')).toBeTruthy();
    expect(q('choose-again')).not.toBeNull();
    expect((q('confirm-registration') as HTMLButtonElement).disabled).toBe(true);
  });

  test('leads to the authorization when the BFF needs it, coming back here', async () => {
    select();
    mockApi({ 'POST /api/orders': apiError(409, 'AUTHORIZATION_REQUIRED', '请先完成医保电子凭证授权') });
    render(<RegConfirmPage />);
    fireEvent.click(q('confirm-registration')!);
    fireEvent.click(await screen.findByText('去授权医保电子凭证'));
    expect(nav.navigateTo()).toEqual(['/pages/auth/index?returnTo=%2Fpages%2Freg-confirm%2Findex%3FslotId%3DS1']);
  });
});
