/**
 * Visit dates and times as a patient reads them: "12月7日 周一（明天）上午 08:00–12:00", never a
 * raw "2026-12-07 08:00:00". The hospital's clock is China time (UTC+8) whatever the device's zone.
 */
import { PERIOD_LABEL } from './labels';

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** "yyyy-MM-dd" of an instant in China time. */
export function chinaDate(at: number): string {
  return new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Epoch ms of a China-time wall clock "yyyy-MM-dd" + "HH:mm". */
export function chinaInstant(date: string, time = '00:00'): number {
  return Date.parse(`${date}T${time.slice(0, 5)}:00+08:00`);
}

function dayDiff(date: string, now: number): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${chinaDate(now)}T00:00:00Z`)) / 86_400_000);
}

/** "12月7日 周一（明天）" — 今天/明天/后天 when near. */
export function dayLabel(date: string, now = Date.now()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
  const near = ['今天', '明天', '后天'][dayDiff(date, now)];
  return `${Number(m[2])}月${Number(m[3])}日 ${weekday}${near ? `（${near}）` : ''}`;
}

/** 上午 before 12:00, 下午 before 18:00, else 晚上 (from the start time when the period is not given). */
export function periodOf(time: string): string {
  const h = Number(time.slice(0, 2));
  return h < 12 ? PERIOD_LABEL.morning : h < 18 ? PERIOD_LABEL.afternoon : PERIOD_LABEL.evening;
}

/** A bookable session: "12月7日 周一（明天）上午 08:00–12:00". */
export function sessionLabel(s: { date: string; period?: string; startTime: string; endTime?: string }, now = Date.now()): string {
  const period = (s.period && PERIOD_LABEL[s.period]) || periodOf(s.startTime);
  const times = s.endTime ? `${s.startTime.slice(0, 5)}–${s.endTime.slice(0, 5)}` : `${s.startTime.slice(0, 5)} 开始`;
  return `${dayLabel(s.date, now)} ${period} ${times}`;
}

/** True once the session is over (its end, or its start when the end is unknown, has passed). */
export function isPastSession(s: { date: string; startTime: string; endTime?: string }, now = Date.now()): boolean {
  return chinaInstant(s.date, s.endTime ?? s.startTime) <= now;
}

/** An order's visit time from HIS ("yyyy-MM-dd HH:mm:ss", China time) in words; as written when unreadable. */
export function visitLabel(visitTime: string | undefined, now = Date.now()): string {
  if (!visitTime) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(visitTime);
  return m ? sessionLabel({ date: m[1], startTime: m[2] }, now) : visitTime;
}

/** "还剩 12 分 30 秒" until `deadline` (ISO); '' once passed. */
export function remainingLabel(deadline: string | undefined, now = Date.now()): string {
  if (!deadline) return '';
  const left = Math.floor((Date.parse(deadline) - now) / 1000);
  if (!(left > 0)) return '';
  const min = Math.floor(left / 60);
  const sec = left % 60;
  return min > 0 ? `${min} 分 ${String(sec).padStart(2, '0')} 秒` : `${sec} 秒`;
}
