import { render } from '@testing-library/react';
import { AmountsBlock } from '../../src/components/Amounts';

const text = (id: string) => document.getElementById(id)?.textContent ?? null;

describe('the pre-settled split on the pay page', () => {
  test('shows the other-fund part under the insurance part, in the insurance total', () => {
    render(<AmountsBlock amounts={{ totalFen: 10_000, fundFen: 5_000, acctFen: 1_000, otherFundFen: 2_000, cashFen: 2_000 }} />);
    expect(text('amount-other')).toBe('¥20.00');
    expect(text('amount-insurance')).toBe('¥80.00');
    expect(text('amount-cash')).toBe('¥20.00');
  });

  test('shows the hospital-borne part as 医院减免, apart from what the patient pays', () => {
    render(<AmountsBlock amounts={{ totalFen: 10_000, fundFen: 6_000, acctFen: 1_000, hospitalFen: 500, cashFen: 2_500 }} />);
    expect(text('amount-hospital')).toBe('¥5.00');
    expect(text('amount-cash')).toBe('¥25.00');
  });

  test('shows no other-fund or hospital line when the centre paid none', () => {
    render(<AmountsBlock amounts={{ totalFen: 1_000, fundFen: 600, acctFen: 0, cashFen: 400 }} />);
    expect(document.getElementById('amount-other')).toBeNull();
    expect(document.getElementById('amount-hospital')).toBeNull();
  });
});
