import { chinaCompactDay, chinaDay, chinaDayStartMs, chinaMinute, chinaPlainToIso, chinaStamp, plainChina, rfc3339China } from './china-time';

// 2026-11-23T16:30:05.678Z is 2026-11-24 00:30:05.678 in Beijing
const t = '2026-11-23T16:30:05.678Z';

it('shows an instant on the China wall clock in every format the peers and screens use', () => {
  expect(chinaDay(t)).toBe('2026-11-24');
  expect(chinaCompactDay(t)).toBe('20261124');
  expect(plainChina(t)).toBe('2026-11-24 00:30:05');
  expect(chinaMinute(t)).toBe('2026-11-24 00:30');
  expect(chinaStamp(t)).toBe('20261124003005');
  expect(rfc3339China(t)).toBe('2026-11-24T00:30:05+08:00');
});

it('reads a China wall-clock text back as the same instant', () => {
  expect(chinaPlainToIso('2026-11-24 00:30:05')).toBe('2026-11-23T16:30:05.000Z');
  expect(chinaPlainToIso('not a time')).toBe('not a time');
  expect(chinaDayStartMs('2026-11-24')).toBe(Date.parse('2026-11-23T16:00:00Z'));
});

it('refuses an invalid time instead of printing NaN', () => {
  expect(() => plainChina('yesterday')).toThrow(/invalid time/);
});
