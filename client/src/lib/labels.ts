import { chinaMinute } from '@mip/shared/src/china-time';

// state labels have one source, shared with the BFF and the staff console
export { REFUND_STATE_LABEL } from '@mip/shared/src/order-state';

export const PERIOD_LABEL: Record<string, string> = { morning: '上午', afternoon: '下午', evening: '晚上' };

/**
 * "2025-03-01T08:30:00+08:00" or "2025-03-01T00:30:00.000Z" → "2025-03-01 08:30": an instant with
 * an offset (the BFF sends UTC, `…Z`) is shown in China time (UTC+8) whatever the device's zone;
 * a local "yyyy-MM-dd HH:mm:ss" (HIS) is shown as written.
 */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '';
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso)) {
    if (!Number.isNaN(Date.parse(iso))) return chinaMinute(iso);
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** How the money of a payment record moved, in words. */
export const PAY_CHANNEL_LABEL: Record<string, string> = { wechat: '微信支付', alipay: '支付宝', kiosk: '自助机', cashier: '医保收银台' };

/** "¥12.30" → "12.30元" for screen readers. */
export function spokenFen(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '负' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}元`;
}
