/**
 * The centre's order status (ordStas) dictionary, classified for decisions. Which codes count
 * as "settled" is configuration ([I]: 6 = 结算完成 everywhere; some regions settle at 4/5).
 * Any code not listed is "unknown" and means awaiting confirmation, never success.
 */
export type OrdStasClass = 'processing' | 'settled' | 'refunded' | 'cancelled' | 'failed' | 'anomaly' | 'unknown';

const BASE: Record<string, Exclude<OrdStasClass, 'settled'>> = {
  '0': 'processing', // 已保存
  '1': 'processing', // 预结算完成
  '2': 'processing', // 结算中
  '3': 'processing', // 自费完成 (insurance part not yet)
  '4': 'processing', // 医保支付完成
  '5': 'processing', // 院内结算完成
  '6': 'processing', // 结算完成 — settled when listed in settledOrdStas (default)
  '7': 'refunded', //   已退款
  '8': 'refunded', //   已医保全部退款
  '9': 'refunded', //   仅自费全部退款
  '10': 'refunded', //  仅自费部分退款
  '11': 'refunded', //  医保全部退自费部分退款
  '12': 'cancelled', // 已撤销
  '13': 'cancelled', // 医保已撤销
  '14': 'anomaly', //   异常
  '15': 'failed', //    结算失败
  '16': 'anomaly', //   医保结算失败自费冲正失败 — manual reconciliation
};

export const ORD_STAS_TEXT: Record<string, string> = {
  '0': '已保存', '1': '预结算完成', '2': '结算中', '3': '自费完成', '4': '医保支付完成', '5': '院内结算完成', '6': '结算完成',
  '7': '已退款', '8': '已医保全部退款', '9': '仅自费全部退款', '10': '仅自费部分退款', '11': '医保全部退自费部分退款',
  '12': '已撤销', '13': '医保已撤销', '14': '异常', '15': '结算失败', '16': '医保结算失败自费冲正失败',
};

export function classifyOrdStas(ordStas: string | undefined, settled: readonly string[]): OrdStasClass {
  if (ordStas === undefined) return 'unknown';
  const code = String(ordStas).trim();
  if (settled.includes(code)) return 'settled';
  return BASE[code] ?? 'unknown';
}

export function ordStasText(code: string): string {
  return ORD_STAS_TEXT[code] ? `${code} ${ORD_STAS_TEXT[code]}` : `${code} (unknown)`;
}
