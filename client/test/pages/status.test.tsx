import { fireEvent, render, screen } from '@testing-library/react';
import StatusPage from '../../src/pages/status/index';
import { apiError, deferred, mockApi, nav, storageGet, storageSet } from '../helpers';
import { statusInsured } from '../fixtures';
import { isValidIdNumber } from '@mip/shared/src/id-number';

const q = (id: string) => document.getElementById(id);
const VALID_ID = '440106196503122134';

function fill(name: string, id: string) {
  fireEvent.change(q('name-input')!, { target: { value: name } });
  fireEvent.change(q('id-input')!, { target: { value: id } });
}

describe('insurance status page (C8)', () => {
  beforeEach(() => storageSet('progress', { region: { code: '440100', name: '广州市' } }));

  test('asks for a region first when none was chosen', () => {
    storageSet('progress', {});
    render(<StatusPage />);
    expect(screen.getByText('请先选择参保地。')).toBeTruthy();
    fireEvent.click(q('choose-region')!);
    expect(nav.navigateTo()).toEqual(['/pages/region/index']);
  });

  test('refuses an invalid ID number before sending anything', async () => {
    expect(isValidIdNumber(VALID_ID)).toBe(true);
    const calls = mockApi({});
    render(<StatusPage />);
    fill('张建国', '440106196503122135');
    fireEvent.click(q('status-submit')!);
    expect((await screen.findByText(/身份证号码格式不正确/)).closest('#id-error')).not.toBeNull();
    expect(calls.filter((c) => c.url === '/api/insurance/status')).toHaveLength(0);
  });

  test('asks for the name when it is missing', async () => {
    mockApi({});
    render(<StatusPage />);
    fill('', VALID_ID);
    fireEvent.click(q('status-submit')!);
    expect((await screen.findByText(/请填写与身份证一致的姓名/)).closest('#name-error')).not.toBeNull();
  });

  test('shows a busy button while the check runs', async () => {
    const d = deferred<{ data: unknown }>();
    mockApi({ 'POST /api/insurance/status': () => d.promise });
    render(<StatusPage />);
    fill('张建国', VALID_ID);
    fireEvent.click(q('status-submit')!);
    expect(await screen.findByText('正在查询…')).toBeTruthy();
    expect((q('status-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  test('shows the masked identity and the benefits when insured', async () => {
    const calls = mockApi({ 'POST /api/insurance/status': { data: statusInsured } });
    render(<StatusPage />);
    fill('张建国', VALID_ID.toLowerCase());
    fireEvent.click(q('status-submit')!);
    expect(await screen.findByText('已查到您的医保信息')).toBeTruthy();
    expect(screen.getByText('440106********2134')).toBeTruthy();
    expect(screen.getByText('职工基本医疗保险 普通门诊')).toBeTruthy();
    expect(calls.find((c) => c.url === '/api/insurance/status')!.data).toEqual({ regionCode: '440100', idNo: VALID_ID, name: '张建国' });
    expect(storageGet('progress').benefits).toHaveLength(2);
    fireEvent.click(q('status-next')!);
    expect(nav.navigateTo()).toEqual(['/pages/benefit/index']);
  });

  test('shows a kind notice when the patient is not insured in the region', async () => {
    mockApi({
      'POST /api/insurance/status': { data: { ...statusInsured, insured: false, benefits: [], notice: '未查询到您在广州市的参保信息' } },
    });
    render(<StatusPage />);
    fill('张建国', VALID_ID);
    fireEvent.click(q('status-submit')!);
    const notice = await screen.findByText('未查询到您在广州市的参保信息');
    expect(notice).toBeTruthy();
    expect(q('not-insured-notice')!.getAttribute('role')).toBe('alert');
    expect(screen.getByText('这不影响您看病：您可以自费缴费，或到医院医保窗口咨询。')).toBeTruthy();
    fireEvent.click(q('change-region')!);
    expect(nav.navigateTo()).toEqual(['/pages/region/index']);
  });

  test('shows the same notice when the BFF answers NOT_INSURED', async () => {
    mockApi({ 'POST /api/insurance/status': apiError(422, 'NOT_INSURED', '未查询到您在所选参保地的医保参保信息') });
    render(<StatusPage />);
    fill('张建国', VALID_ID);
    fireEvent.click(q('status-submit')!);
    expect(await screen.findByText('未查询到您在所选参保地的医保参保信息')).toBeTruthy();
    expect(q('not-insured-notice')).not.toBeNull();
  });

  test('keeps the form and shows the message when the check fails', async () => {
    mockApi({ 'POST /api/insurance/status': apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试') });
    render(<StatusPage />);
    fill('张建国', VALID_ID);
    fireEvent.click(q('status-submit')!);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
    expect(q('status-submit')).not.toBeNull();
  });
});
