import fc from 'fast-check';
import { categoryOf, computeSplit, DEFAULT_POLICY } from './policy';

describe('sandbox split policy', () => {
  it('covers category A lines for employees at 90 percent and rounds the fund share down', () => {
    const s = computeSplit([{ code: '001102000010000', amountFen: 1001 }], '310', 0, true, DEFAULT_POLICY);
    expect(s).toEqual({ totalFen: 1001, fundFen: 900, acctFen: 0, cashFen: 101 });
  });

  it('pays the uncovered part from the personal account up to its balance', () => {
    const s = computeSplit([{ code: 'XJ01CAA040A001010101445', amountFen: 10_000 }], '310', 2_000, true, DEFAULT_POLICY);
    expect(s).toEqual({ totalFen: 10_000, fundFen: 7_000, acctFen: 2_000, cashFen: 1_000 });
  });

  it('leaves category C lines entirely to the patient', () => {
    expect(categoryOf('C99', DEFAULT_POLICY)).toBe('C');
    expect(computeSplit([{ code: 'C99', amountFen: 500 }], '390', 0, true, DEFAULT_POLICY).cashFen).toBe(500);
  });

  it('always adds up to the total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ code: fc.constantFrom('0011', 'X1', '25', 'C1', 'Q'), amountFen: fc.integer({ min: 0, max: 10_000_000 }) }), { maxLength: 20 }),
        fc.constantFrom('310', '390', '999'),
        fc.integer({ min: 0, max: 1_000_000 }),
        (lines, insutype, balance) => {
          const s = computeSplit(lines, insutype, balance, true, DEFAULT_POLICY);
          return s.fundFen + s.acctFen + s.cashFen === s.totalFen && s.fundFen >= 0 && s.acctFen >= 0 && s.cashFen >= 0;
        },
      ),
    );
  });
});
