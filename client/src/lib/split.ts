import type { Amounts } from '@mip/shared/src/contract/schemas';

/** The same money asked for: total and the part paid now (the insurance parts follow from them). */
export function samePay(a: Amounts, b: Amounts): boolean {
  return a.totalFen === b.totalFen && a.cashFen === b.cashFen && a.fundFen === b.fundFen && a.acctFen === b.acctFen;
}

/** True when what the patient saw before (an estimate) asks for other money than the centre's split. */
export function splitChange(before: Amounts, after: Amounts): boolean {
  return before.totalFen !== after.totalFen || before.cashFen !== after.cashFen;
}
