/**
 * The e-voucher authorization as the patient should understand it: it pays ONE order and lives
 * about 240 s (bff/src/sessions/pay-auth-vault.ts). The BFF says its state and the seconds left;
 * the countdown runs from the moment that answer arrived, so a wrong phone clock changes nothing.
 */
import type { AuthorizationState } from '@mip/shared/src/contract/patient';

export type { AuthorizationState };

export interface AuthorizationLine {
  /** 已授权 only while it can really pay */
  active: boolean;
  text: string;
}

export function minutesSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}分${String(s % 60).padStart(2, '0')}秒` : `${s}秒`;
}

/** Seconds an active authorization still has at `now`, counted from when the BFF answered. */
export function secondsLeft(a: AuthorizationState | undefined, fetchedAt: number, now = Date.now()): number {
  if (!a || a.state !== 'active') return 0;
  return Math.max(0, a.remainingSeconds - Math.max(0, Math.floor((now - fetchedAt) / 1000)));
}

export function authorizationLine(a: AuthorizationState | undefined, fetchedAt: number, now = Date.now()): AuthorizationLine {
  if (!a || a.state === 'none') return { active: false, text: '未授权' };
  const forWhom = a.familyPay ? '（为家人，亲情付）' : '';
  if (a.state === 'active') {
    const left = secondsLeft(a, fetchedAt, now);
    if (left <= 0) return { active: false, text: `已过期${forWhom}，支付前需要重新授权` };
    return { active: true, text: `已授权${forWhom}，还可用 ${minutesSeconds(left)}，只能用于一笔支付` };
  }
  if (a.state === 'used') return { active: false, text: `已用于一笔支付${forWhom}，下次支付前需要重新授权` };
  return { active: false, text: `已过期${forWhom}，支付前需要重新授权` };
}
