import { fireEvent, render, screen } from '@testing-library/react';
import BenefitPage from '../../src/pages/benefit/index';
import { apiError, deferred, mockApi, nav, storageGet, storageSet } from '../helpers';
import { benefits } from '../fixtures';

const q = (id: string) => document.getElementById(id);

describe('benefit page (C9)', () => {
  test('sends the patient back to the status check when there is nothing to choose', () => {
    storageSet('progress', {});
    render(<BenefitPage />);
    expect(screen.getByText('还没有可选择的医保待遇，请先核验医保身份。')).toBeTruthy();
  });

  test('keeps the confirm button disabled until a benefit is chosen', () => {
    storageSet('progress', { benefits });
    render(<BenefitPage />);
    expect((q('benefit-confirm') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(q('benefit-B390')!);
    expect((q('benefit-confirm') as HTMLButtonElement).disabled).toBe(false);
    expect(q('benefit-B390')!.getAttribute('aria-label')).toContain('已选中');
    expect(q('benefit-B390')!.textContent).toContain('已选中');
  });

  test('preselects the only benefit offered', () => {
    storageSet('progress', { benefits: [benefits[0]] });
    render(<BenefitPage />);
    expect((q('benefit-confirm') as HTMLButtonElement).disabled).toBe(false);
  });

  test('shows a busy button while the choice is written back to HIS', async () => {
    storageSet('progress', { benefits });
    const d = deferred<{ data: unknown }>();
    mockApi({ 'POST /api/insurance/benefit': () => d.promise });
    render(<BenefitPage />);
    fireEvent.click(q('benefit-B310')!);
    fireEvent.click(q('benefit-confirm')!);
    expect(await screen.findByText('正在提交…')).toBeTruthy();
  });

  test('registers the chosen benefit and goes on to the authorization', async () => {
    storageSet('progress', { benefits });
    const calls = mockApi({ 'POST /api/insurance/benefit': { data: { registered: true, benefit: benefits[0], region: { code: '440100', name: '广州市' } } } });
    render(<BenefitPage />);
    fireEvent.click(q('benefit-B310')!);
    fireEvent.click(q('benefit-confirm')!);
    await screen.findByText('确认选择');
    expect(calls.find((c) => c.url === '/api/insurance/benefit')!.data).toEqual({ benefitCode: 'B310' });
    expect(storageGet('progress').benefit.code).toBe('B310');
    expect(nav.redirectTo()).toEqual(['/pages/auth/index']);
  });

  test('shows the error and the step to redo when the identity check has expired', async () => {
    storageSet('progress', { benefits });
    mockApi({ 'POST /api/insurance/benefit': apiError(409, 'IDENTITY_REQUIRED', '请先完成医保身份核验') });
    render(<BenefitPage />);
    fireEvent.click(q('benefit-B310')!);
    fireEvent.click(q('benefit-confirm')!);
    expect(await screen.findByText('请先完成医保身份核验')).toBeTruthy();
    fireEvent.click(q('error-action')!);
    expect(nav.navigateTo()).toEqual(['/pages/region/index']);
  });
});
