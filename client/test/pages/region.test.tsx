import { fireEvent, render, screen } from '@testing-library/react';
import RegionPage from '../../src/pages/region/index';
import { apiError, mockApi, nav, never, storageGet } from '../helpers';
import { regions } from '../fixtures';

const q = (id: string) => document.getElementById(id);

describe('region page (C7)', () => {
  test('shows a loading state while the regions load', () => {
    mockApi({ 'GET /api/regions': never });
    render(<RegionPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('tells the patient to go to the window when no region is offered', async () => {
    mockApi({ 'GET /api/regions': { data: { regions: [] } } });
    render(<RegionPage />);
    expect(await screen.findByText('医院暂未开通医保参保地，请到医院窗口办理缴费。')).toBeTruthy();
  });

  test('shows the error message and loads again on retry', async () => {
    let n = 0;
    mockApi({ 'GET /api/regions': () => (++n <= 3 ? apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试') : { data: regions }) });
    render(<RegionPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
    fireEvent.click(q('retry')!);
    expect(await screen.findByText('广州市')).toBeTruthy();
  });

  test('remembers the chosen region and goes on to the status form', async () => {
    mockApi({ 'GET /api/regions': { data: regions } });
    render(<RegionPage />);
    await screen.findByText('广州市');
    expect(q('region-440100')!.getAttribute('aria-label')).toBe('参保地 广州市');
    fireEvent.click(q('region-440100')!);
    expect(storageGet('progress').region).toEqual({ code: '440100', name: '广州市' });
    expect(nav.navigateTo()).toEqual(['/pages/status/index?regionCode=440100']);
  });
});
