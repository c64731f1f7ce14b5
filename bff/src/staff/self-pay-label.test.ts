import { orderFixture } from '../domain/fixtures';
import { csvRow } from './csv';
import { toStaffRow } from './views';

/** a completed 自费 order: all cash, never at the centre */
function selfPayOrder() {
  const o = orderFixture({ payMode: 'self', kind: 'registration', state: 'completed', amounts: { totalFen: 6_000, fundFen: 0, acctFen: 0, cashFen: 6_000 } });
  delete o.national;
  return o;
}

describe('the staff see a self-pay (自费) order as such', () => {
  it('marks the order row as 自费', () => {
    expect(toStaffRow(selfPayOrder())).toMatchObject({ payMode: 'self', amounts: { fundFen: 0, acctFen: 0, cashFen: 6_000 } });
  });

  it('leaves an insurance order unmarked', () => {
    expect(toStaffRow(orderFixture()).payMode).toBeUndefined();
  });

  it('writes 挂号（自费） as the type in the CSV export', () => {
    expect(csvRow(toStaffRow(selfPayOrder()))[3]).toBe('挂号（自费）');
  });
});
