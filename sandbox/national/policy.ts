/**
 * How the sandbox centre splits a bill into fund (统筹), personal account (个账) and self-pay
 * (自费). The real rules are regional; the sandbox's are configurable and deliberately simple:
 * each fee line is covered by its catalogue category at a ratio (basis points) per insurance
 * type, the uncovered remainder is paid from the personal account while it has balance, and the
 * rest is self-pay. All arithmetic is integer fen; the fund share of a line is rounded down.
 */
export type Category = 'A' | 'B' | 'C'; // 甲类 / 乙类 / 丙类 (丙类 = not covered)

export interface SplitPolicy {
  /** coverage ratio in basis points per insutype and category */
  ratios: Record<string, Record<Category, number>>;
  /** fee-line catalogue: national list code → category; unknown codes use `defaultCategory` */
  catalogue: Record<string, Category>;
  /** code prefixes → category, checked when the code is not in the catalogue */
  prefixes: Record<string, Category>;
  defaultCategory: Category;
  /** whether the personal account pays the uncovered part when acctUsedFlag is "1" */
  accountPaysSelfPart: boolean;
}

export const DEFAULT_POLICY: SplitPolicy = {
  ratios: {
    '310': { A: 9000, B: 7000, C: 0 }, // 职工基本医疗保险
    '390': { A: 6000, B: 5000, C: 0 }, // 城乡居民基本医疗保险
  },
  catalogue: {},
  // 挂号/诊察 services (0011…/11…), lab tests (25…) are category A; western medicine (X…) B.
  prefixes: { '0011': 'A', '11': 'A', '25': 'A', X: 'B', Z: 'B', C: 'C' },
  defaultCategory: 'B',
  accountPaysSelfPart: true,
};

export function categoryOf(code: string, p: SplitPolicy): Category {
  if (p.catalogue[code]) return p.catalogue[code];
  const prefix = Object.keys(p.prefixes)
    .filter((k) => code.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? p.prefixes[prefix] : p.defaultCategory;
}

export interface SplitResult {
  totalFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
}

export function computeSplit(
  lines: { code: string; amountFen: number }[],
  insutype: string,
  acctBalanceFen: number,
  useAccount: boolean,
  p: SplitPolicy,
): SplitResult {
  const ratios = p.ratios[insutype] ?? { A: 0, B: 0, C: 0 };
  let total = 0;
  let fund = 0;
  for (const l of lines) {
    total += l.amountFen;
    fund += Math.floor((l.amountFen * ratios[categoryOf(l.code, p)]) / 10_000);
  }
  const selfPart = total - fund;
  const acct = useAccount && p.accountPaysSelfPart ? Math.min(selfPart, Math.max(0, acctBalanceFen)) : 0;
  return { totalFen: total, fundFen: fund, acctFen: acct, cashFen: selfPart - acct };
}
