import { fireEvent, render, screen } from '@testing-library/react';
import DepartmentsPage from '../../src/pages/departments/index';
import DoctorsPage from '../../src/pages/doctors/index';
import SlotsPage from '../../src/pages/slots/index';
import { apiError, mockApi, nav, never, setParams, storageGet, storageSet } from '../helpers';
import { departments, doctors, slots } from '../fixtures';

const q = (id: string) => document.getElementById(id);
const down = apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试');

describe('departments page (C14)', () => {
  test('shows a loading state while departments load', () => {
    mockApi({ 'GET /api/registration/departments': never });
    render(<DepartmentsPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('says so when no department takes registrations', async () => {
    mockApi({ 'GET /api/registration/departments': { data: { departments: [] } } });
    render(<DepartmentsPage />);
    expect(await screen.findByText('今天暂无可挂号的科室，请到医院窗口咨询。')).toBeTruthy();
  });

  test('shows the error with a retry button', async () => {
    mockApi({ 'GET /api/registration/departments': down });
    render(<DepartmentsPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
    expect(q('retry')).not.toBeNull();
  });

  test('lists departments and goes on to the doctors of the chosen one', async () => {
    mockApi({ 'GET /api/registration/departments': { data: departments } });
    render(<DepartmentsPage />);
    fireEvent.click((await screen.findByText('内科')).closest('button')!);
    expect(q('dept-NEIKE')).not.toBeNull();
    expect(storageGet('selection').dept.code).toBe('NEIKE');
    expect(nav.navigateTo()).toEqual(['/pages/doctors/index?deptCode=NEIKE']);
  });
});

describe('doctors page (C14)', () => {
  beforeEach(() => setParams({ deptCode: 'NEIKE' }));

  test('shows a loading state while doctors load', () => {
    mockApi({ 'GET /api/registration/departments/NEIKE/doctors': never });
    render(<DoctorsPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('says so when the department has no doctor', async () => {
    mockApi({ 'GET /api/registration/departments/NEIKE/doctors': { data: { doctors: [] } } });
    render(<DoctorsPage />);
    expect(await screen.findByText('这个科室暂时没有可挂号的医生，请换一个科室。')).toBeTruthy();
  });

  test('shows the error with a retry button', async () => {
    mockApi({ 'GET /api/registration/departments/NEIKE/doctors': down });
    render(<DoctorsPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
  });

  test('marks a fully booked doctor in words and does not let it be chosen', async () => {
    mockApi({ 'GET /api/registration/departments/NEIKE/doctors': { data: doctors } });
    render(<DoctorsPage />);
    await screen.findByText('李医生');
    const full = q('doctor-D002') as HTMLButtonElement;
    expect(full.disabled).toBe(true);
    expect(full.textContent).toContain('已约满');
    expect(full.getAttribute('aria-label')).toContain('已约满');
  });

  test('goes on to the slots of the chosen doctor', async () => {
    storageSet('selection', { dept: { code: 'NEIKE', name: '内科' } });
    mockApi({ 'GET /api/registration/departments/NEIKE/doctors': { data: doctors } });
    render(<DoctorsPage />);
    fireEvent.click((await screen.findByText('李医生')).closest('button')!);
    expect(nav.navigateTo()).toEqual(['/pages/slots/index?doctorCode=D001']);
    expect(storageGet('selection').doctor.code).toBe('D001');
  });
});

describe('slots page (C14)', () => {
  beforeEach(() => setParams({ doctorCode: 'D001' }));

  test('shows a loading state while slots load', () => {
    mockApi({ 'GET /api/registration/doctors/D001/slots': never });
    render(<SlotsPage />);
    expect(q('state-loading')).not.toBeNull();
  });

  test('says so when the doctor has no free time', async () => {
    mockApi({ 'GET /api/registration/doctors/D001/slots': { data: { slots: [] } } });
    render(<SlotsPage />);
    expect(await screen.findByText('这位医生近期没有可预约的时间，请选择其他医生。')).toBeTruthy();
  });

  test('shows the error with a retry button', async () => {
    mockApi({ 'GET /api/registration/doctors/D001/slots': down });
    render(<SlotsPage />);
    expect(await screen.findByText('医院或医保服务暂时无法连接，请稍后重试')).toBeTruthy();
  });

  test('shows time, fee and what is left, and goes on to confirm the chosen slot', async () => {
    mockApi({ 'GET /api/registration/doctors/D001/slots': { data: slots } });
    render(<SlotsPage />);
    await screen.findByText('3月2日 周一 上午 08:00–08:30');
    expect(q('slot-S1')!.textContent).toContain('¥25.00');
    expect(q('slot-S1')!.getAttribute('aria-label')).toContain('25.00元');
    expect((q('slot-S2') as HTMLButtonElement).disabled).toBe(true);
    expect(q('slot-S2')!.textContent).toContain('已约满');
    expect((q('slot-S3') as HTMLButtonElement).disabled).toBe(true);
    expect(q('slot-S3')!.textContent).toContain('已过就诊时间');
    expect(q('slot-S3')!.textContent).not.toContain('已约满');
    fireEvent.click(q('slot-S1')!);
    expect(nav.navigateTo()).toEqual(['/pages/reg-confirm/index?slotId=S1']);
    expect(storageGet('selection').slot.slotId).toBe('S1');
  });
});
