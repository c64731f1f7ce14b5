import { fireEvent, render, screen } from '@testing-library/react';
import Home from '../../src/pages/index/index';
import { apiError, mockApi, nav, never, storageSet } from '../helpers';
import { benefits } from '../fixtures';
import { readGlobal } from '../../src/lib/storage';

const notReady = { data: { ready: false } };
const q = (id: string) => document.getElementById(id);

describe('home page', () => {
  test('shows a loading state while the patient is being logged in', () => {
    mockApi({ 'POST /api/session': never });
    render(<Home />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('shows the BFF message and a retry button when login fails', async () => {
    let fail = true;
    mockApi({
      'POST /api/session': () => (fail ? apiError(401, 'LOGIN_FAILED', '登录失败，请重新进入小程序') : { data: { token: 't', expiresAt: '2999-01-01T00:00:00Z', channel: 'wechat' } }),
      'GET /api/insurance/profile': notReady,
    });
    render(<Home />);
    expect(await screen.findByText('登录失败，请重新进入小程序')).toBeTruthy();
    fail = false;
    fireEvent.click(q('retry')!);
    expect(await screen.findByText('第一步：核验医保身份')).toBeTruthy();
  });

  test('sends a first-time patient to the first step: verifying the insurance identity', async () => {
    mockApi({ 'GET /api/insurance/profile': notReady });
    render(<Home />);
    fireEvent.click(await screen.findByText('第一步：核验医保身份'));
    expect(nav.navigateTo()).toEqual(['/pages/region/index']);
    expect(q('go-registration')).not.toBeNull();
    expect(q('go-outpatient')).not.toBeNull();
    expect(q('go-orders')).not.toBeNull();
  });

  test('offers the authorization step once the identity is verified', async () => {
    mockApi({
      'GET /api/insurance/profile': {
        data: { ready: true, region: { code: '440100', name: '广州市' }, patient: { nameMasked: '张**', idNoMasked: '4401' }, insured: true, benefit: benefits[0], authorized: false },
      },
    });
    render(<Home />);
    expect(await screen.findByText('第二步：授权医保电子凭证')).toBeTruthy();
    expect(q('start-verify')).toBeNull();
    expect(q('step-verify-state')!.textContent).toContain('已完成');
  });

  test('shows no step button when identity and authorization are both done', async () => {
    mockApi({
      'GET /api/insurance/profile': {
        data: { ready: true, region: { code: '440100', name: '广州市' }, patient: { nameMasked: '张**', idNoMasked: '4401' }, insured: true, benefit: benefits[0], authorized: true },
      },
    });
    render(<Home />);
    expect(await screen.findByText('预约挂号')).toBeTruthy();
    expect(q('start-verify')).toBeNull();
    expect(q('go-auth')).toBeNull();
    expect(q('step-auth-state')!.textContent).toContain('已授权');
  });

  const withAuthorization = (authorization: unknown) => ({
    'GET /api/insurance/profile': {
      data: { ready: true, region: { code: '440100', name: '广州市' }, patient: { nameMasked: '张**', idNoMasked: '4401' }, insured: true, benefit: benefits[0], authorized: false, authorization },
    },
  });

  test('shows how long an authorization still lives and that it pays one order', async () => {
    mockApi({ ...withAuthorization({ state: 'active', expiresAt: '2999-01-01T00:00:00Z', remainingSeconds: 200, familyPay: false }) });
    render(<Home />);
    expect(await screen.findByText(/还可用 3分20秒/)).toBeTruthy();
    expect(q('step-auth-state')!.textContent).toContain('只能用于一笔支付');
    expect(q('go-auth')).toBeNull();
  });

  test('never says 已完成 for an expired authorization, and offers to authorize again', async () => {
    mockApi({ ...withAuthorization({ state: 'expired', expiresAt: '2026-12-06T12:00:00Z', familyPay: false }) });
    render(<Home />);
    expect(await screen.findByText('第二步：授权医保电子凭证')).toBeTruthy();
    expect(q('step-auth-state')!.textContent).toContain('已过期，支付前需要重新授权');
    expect(q('step-auth-state')!.textContent).not.toContain('已完成');
  });

  test('says an authorization already spent on a payment must be renewed for the next one', async () => {
    mockApi({ ...withAuthorization({ state: 'used', orderNo: 'R2612061200000AAAAAA', familyPay: true }) });
    render(<Home />);
    expect(await screen.findByText('第二步：授权医保电子凭证')).toBeTruthy();
    expect(q('step-auth-state')!.textContent).toContain('已用于一笔支付（为家人，亲情付），下次支付前需要重新授权');
  });

  test('still works from local memory when the profile endpoint fails', async () => {
    storageSet('progress', { benefit: benefits[0] });
    mockApi({ 'GET /api/insurance/profile': apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试') });
    render(<Home />);
    expect(await screen.findByText('第二步：授权医保电子凭证')).toBeTruthy();
  });

  test('turns large-text mode on for the whole page and remembers it', async () => {
    mockApi({ 'GET /api/insurance/profile': notReady });
    const { unmount } = render(<Home />);
    await screen.findByText('第一步：核验医保身份');
    expect(q('page-home')!.className).not.toContain('page--large');
    fireEvent.click(q('large-text-toggle')!);
    expect(q('page-home')!.className).toContain('page--large');
    expect(q('large-text-toggle')!.getAttribute('aria-label')).toContain('已开启');
    expect(readGlobal('largeText')).toBe(true);
    unmount();
    render(<Home />);
    await screen.findByText('第一步：核验医保身份');
    expect(q('page-home')!.className).toContain('page--large');
  });

  test('finishes an e-voucher authorization that was interrupted by a restart', async () => {
    storageSet('pendingAuth', { returnTo: '/pages/pay/index?orderNo=MIP1', at: Date.now() });
    mockApi({ 'GET /api/insurance/profile': notReady });
    render(<Home />);
    await screen.findByText('第一步：核验医保身份');
    expect(nav.navigateTo()[0]).toBe('/pages/auth/index?returnTo=%2Fpages%2Fpay%2Findex%3ForderNo%3DMIP1&resume=1');
  });
});
