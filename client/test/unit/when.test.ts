import { dayLabel, isPastSession, remainingLabel, sessionLabel, visitLabel } from '../../src/lib/when';

// 2026-12-06 10:00 China time (a Sunday)
const NOW = Date.parse('2026-12-06T02:00:00Z');

describe('visit dates in words', () => {
  test('says 今天 and 明天 with the weekday', () => {
    expect(dayLabel('2026-12-06', NOW)).toBe('12月6日 周日（今天）');
    expect(dayLabel('2026-12-07', NOW)).toBe('12月7日 周一（明天）');
    expect(dayLabel('2026-12-10', NOW)).toBe('12月10日 周四');
  });

  test('counts the day in China time even late in the evening UTC', () => {
    // 2026-12-06 23:30 UTC is already 12-07 07:30 in China
    expect(dayLabel('2026-12-07', Date.parse('2026-12-06T23:30:00Z'))).toBe('12月7日 周一（今天）');
  });

  test('shows a session as period and time range, never the raw HIS time', () => {
    expect(sessionLabel({ date: '2026-12-07', period: 'morning', startTime: '08:00', endTime: '12:00' }, NOW)).toBe('12月7日 周一（明天） 上午 08:00–12:00');
    expect(visitLabel('2026-12-07 14:00:00', NOW)).toBe('12月7日 周一（明天） 下午 14:00 开始');
  });

  test('knows a session is over once its end has passed', () => {
    expect(isPastSession({ date: '2026-12-06', startTime: '08:00', endTime: '09:30' }, NOW)).toBe(true);
    expect(isPastSession({ date: '2026-12-06', startTime: '08:00', endTime: '12:00' }, NOW)).toBe(false);
  });

  test('counts down to a deadline and says nothing once it passed', () => {
    expect(remainingLabel('2026-12-06T02:12:30Z', NOW)).toBe('12 分 30 秒');
    expect(remainingLabel('2026-12-06T01:59:59Z', NOW)).toBe('');
  });
});
