import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { FAMILY_RELATIONS, FAMILY_RELATION_LABELS } from '@mip/shared/src/contract/family';
import FamilyPage from '../../src/family/pages/index';
import { RELATIONS } from '../../src/family/pages/AddMember';
import { apiError, mockApi } from '../helpers';

const q = (id: string) => document.getElementById(id);
const regions = { data: { regions: [{ code: '440100', name: '广州市' }] } };
const mother = { memberId: 'fmAAAAAAAAAAAA', relation: 'parent', relationLabel: '父母', nameMasked: '王**', idNoMasked: '440105********3245', region: { code: '440100', name: '广州市' }, insured: true, benefitName: '职工医保普通门诊' };

function fill(name: string, id: string) {
  fireEvent.change(q('family-name-input')!, { target: { value: name } });
  fireEvent.change(q('family-id-input')!, { target: { value: id } });
}

describe('family members page (就诊人管理)', () => {
  test('names the relations exactly as the contract does', () => {
    expect(RELATIONS.map((r) => r.code)).toEqual([...FAMILY_RELATIONS]);
    expect(RELATIONS.map((r) => r.label)).toEqual(FAMILY_RELATIONS.map((r) => FAMILY_RELATION_LABELS[r]));
  });

  test('lists the family members masked, with what paying for them needs', async () => {
    mockApi({ 'GET /api/family': { data: { members: [mother], max: 5 } }, 'GET /api/regions': regions });
    render(<FamilyPage />);
    expect(await screen.findByText('父母：王**')).toBeTruthy();
    expect(q(`member-${mother.memberId}`)!.textContent).toContain('440105********3245');
    expect(q(`member-${mother.memberId}`)!.textContent).toContain('支付时需开通亲情付');
  });

  test('refuses a wrong check digit before sending anything', async () => {
    const calls = mockApi({ 'GET /api/family': { data: { members: [], max: 5 } }, 'GET /api/regions': regions });
    render(<FamilyPage />);
    fireEvent.click(await screen.findByText('添加家人'));
    fill('王秀英', '440105195807213246');
    fireEvent.click(q('relation-parent')!);
    fireEvent.click(q('family-add-submit')!);
    expect(await screen.findByText(/身份证号码格式不正确/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST' && c.url === '/api/family')).toHaveLength(0);
  });

  test('adds a family member and shows the list again', async () => {
    let members: unknown[] = [];
    const calls = mockApi({
      'GET /api/family': () => ({ data: { members, max: 5 } }),
      'GET /api/regions': regions,
      'POST /api/family': () => {
        members = [mother];
        return { data: { member: mother } };
      },
    });
    render(<FamilyPage />);
    fireEvent.click(await screen.findByText('添加家人'));
    fill('王秀英', '440105195807213245');
    fireEvent.click(q('relation-parent')!);
    fireEvent.click(q('family-add-submit')!);
    expect(await screen.findByText('父母：王**')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST' && c.url === '/api/family');
    expect(post?.data).toEqual({ name: '王秀英', idNo: '440105195807213245', relation: 'parent', regionCode: '440100' });
  });

  test("shows the BFF's plain words when the member is refused", async () => {
    mockApi({
      'GET /api/family': { data: { members: [], max: 5 } },
      'GET /api/regions': regions,
      'POST /api/family': apiError(409, 'FAMILY_DUPLICATE', '这位家人已经添加过了，不用重复添加'),
    });
    render(<FamilyPage />);
    fireEvent.click(await screen.findByText('添加家人'));
    fill('王秀英', '440105195807213245');
    fireEvent.click(q('relation-parent')!);
    fireEvent.click(q('family-add-submit')!);
    expect(await screen.findByText('这位家人已经添加过了，不用重复添加')).toBeTruthy();
  });

  test('removes a member only on a second, confirming tap', async () => {
    let members: unknown[] = [mother];
    const calls = mockApi({
      'GET /api/family': () => ({ data: { members, max: 5 } }),
      'GET /api/regions': regions,
      [`DELETE /api/family/${mother.memberId}`]: () => {
        members = [];
        return { data: { removed: true } };
      },
    });
    render(<FamilyPage />);
    fireEvent.click(await screen.findByText('删除'));
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
    fireEvent.click(await screen.findByText('确认删除（再点一次）'));
    await waitFor(() => expect(screen.getByText('还没有添加家人。')).toBeTruthy());
  });

  test('offers no add button once five members are there', async () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ ...mother, memberId: `fmAAAAAAAAAAA${i}` }));
    mockApi({ 'GET /api/family': { data: { members: five, max: 5 } }, 'GET /api/regions': regions });
    render(<FamilyPage />);
    expect(await screen.findByText(/已添加 5 位家人/)).toBeTruthy();
    expect(q('family-add')).toBeNull();
  });
});
