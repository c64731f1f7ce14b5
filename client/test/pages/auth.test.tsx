import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import AuthPage from '../../src/pages/auth/index';
import { platformDouble } from '../doubles/platform';
import { apiError, deferred, mockApi, nav, setParams, storageGet } from '../helpers';

const q = (id: string) => document.getElementById(id);
const authorized = { data: { status: 'authorized', expiresInSeconds: 300 } };

describe('e-voucher authorization page (C11)', () => {
  test('explains the step and offers one button', () => {
    render(<AuthPage />);
    expect(screen.getByText('为什么要授权？')).toBeTruthy();
    expect(q('auth-start')!.textContent).toBe('去授权');
  });

  test('shows that it is waiting while the patient is in the e-voucher mini-program', async () => {
    const d = deferred<{ authCode: string }>();
    platformDouble.getInsuranceAuthCode.mockReturnValue(d.promise);
    mockApi({});
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    expect(await screen.findByText('正在等待授权结果…')).toBeTruthy();
  });

  test('persists where to return before jumping out', async () => {
    setParams({ returnTo: encodeURIComponent('/pages/pay/index?orderNo=MIP1') });
    let pendingDuringJump: unknown;
    platformDouble.getInsuranceAuthCode.mockImplementation(async () => {
      pendingDuringJump = storageGet('pendingAuth');
      return { authCode: 'AC1' };
    });
    mockApi({ 'POST /api/insurance/authorization': authorized });
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    await screen.findByText('✔ 医保电子凭证授权成功');
    expect(pendingDuringJump).toMatchObject({ returnTo: '/pages/pay/index?orderNo=MIP1' });
    expect(storageGet('pendingAuth')).toBe('');
  });

  test('hands the authCode to the BFF and reports success', async () => {
    const calls = mockApi({ 'POST /api/insurance/authorization': authorized });
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    expect(await screen.findByText('✔ 医保电子凭证授权成功')).toBeTruthy();
    expect(calls.find((c) => c.url === '/api/insurance/authorization')!.data).toEqual({ authCode: 'AUTHCODE-1' });
    expect(storageGet('progress').authorizedUntil).toBeGreaterThan(Date.now());
    fireEvent.click(q('auth-continue')!);
    expect(nav.reLaunch()).toEqual(['/pages/index/index']);
  });

  test('returns to the waiting payment after success', async () => {
    setParams({ returnTo: encodeURIComponent('/pages/pay/index?orderNo=MIP1') });
    (Taro.getCurrentPages as jest.Mock).mockReturnValue([{ route: 'pages/pay/index' }, { route: 'pages/auth/index' }]);
    mockApi({ 'POST /api/insurance/authorization': authorized });
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    fireEvent.click(await screen.findByText('继续支付'));
    expect(Taro.navigateBack).toHaveBeenCalledWith({ delta: 1 });
  });

  test('opens the activation page and tries again when the BFF answers redirect', async () => {
    let n = 0;
    const calls = mockApi({
      'POST /api/insurance/authorization': () => (++n === 1 ? { data: { status: 'redirect', authUrl: 'https://render.alipay.com/p/s/medical-card' } } : authorized),
    });
    platformDouble.getInsuranceAuthCode.mockResolvedValueOnce({ authCode: 'FIRST' }).mockResolvedValueOnce({ authCode: 'SECOND' });
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    expect(await screen.findByText('✔ 医保电子凭证授权成功')).toBeTruthy();
    expect(platformDouble.openAuthUrl).toHaveBeenCalledWith('https://render.alipay.com/p/s/medical-card');
    expect(calls.filter((c) => c.url === '/api/insurance/authorization').map((c) => (c.data as { authCode: string }).authCode)).toEqual(['FIRST', 'SECOND']);
  });

  test('says kindly that the authorization was cancelled and lets the patient try again', async () => {
    platformDouble.getInsuranceAuthCode.mockResolvedValue({ cancelled: true });
    mockApi({});
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    expect(await screen.findByText(/您取消了授权/)).toBeTruthy();
    expect(q('auth-start')!.textContent).toBe('重新授权');
  });

  test('shows the BFF message when the authorization fails', async () => {
    mockApi({ 'POST /api/insurance/authorization': apiError(422, 'AUTHORIZATION_FAILED', '医保电子凭证授权未成功，请重新授权') });
    render(<AuthPage />);
    fireEvent.click(q('auth-start')!);
    expect(await screen.findByText('医保电子凭证授权未成功，请重新授权')).toBeTruthy();
    expect(q('auth-error')!.getAttribute('role')).toBe('alert');
  });

  test('finishes with the code the platform kept across a restart', async () => {
    setParams({ resume: '1' });
    platformDouble.resumeInsuranceAuth.mockReturnValue({ authCode: 'KEPT' });
    const calls = mockApi({ 'POST /api/insurance/authorization': authorized });
    render(<AuthPage />);
    expect(await screen.findByText('✔ 医保电子凭证授权成功')).toBeTruthy();
    expect(calls.find((c) => c.url === '/api/insurance/authorization')!.data).toEqual({ authCode: 'KEPT' });
    expect(platformDouble.getInsuranceAuthCode).not.toHaveBeenCalled();
  });
});
