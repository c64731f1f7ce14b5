/**
 * HIS's own estimate of the insurance split, shown until the centre (6202) fixes the real one:
 *   甲类 (01): covered in full
 *   乙类 (02): 10% paid first by the patient (先行自付), the rest covered
 *   丙类 (03): self-pay
 * The fund pays its share (per mille, by benefit) of the covered amount; for 职工医保 (310) the
 * personal account then pays the patient's part of 甲/乙 items as far as its balance goes.
 */
export interface EstimateInput {
  items: { amount_fen: number; chrgitm_lv: '01' | '02' | '03' }[];
  fundPerMille: number;
  insutype: string;
  acctBalanceFen: number;
}

export function estimateSplit(e: EstimateInput): { fund_fen: number; acct_fen: number; cash_fen: number } {
  let total = 0;
  let covered = 0;
  let selfPay = 0;
  for (const it of e.items) {
    total += it.amount_fen;
    if (it.chrgitm_lv === '01') covered += it.amount_fen;
    else if (it.chrgitm_lv === '02') covered += it.amount_fen - Math.ceil(it.amount_fen / 10);
    else selfPay += it.amount_fen;
  }
  const fund = Math.floor((covered * e.fundPerMille) / 1000);
  const accountable = e.insutype === '310' ? total - fund - selfPay : 0;
  const acct = Math.max(0, Math.min(e.acctBalanceFen, accountable));
  return { fund_fen: fund, acct_fen: acct, cash_fen: total - fund - acct };
}
