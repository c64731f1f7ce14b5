import { shortTime, spokenFen } from '../../src/lib/labels';

describe('shortTime', () => {
  test('shows an instant with +08:00 as written', () => {
    expect(shortTime('2025-03-01T08:30:00+08:00')).toBe('2025-03-01 08:30');
  });

  test("shows the BFF's UTC instants in China time, across midnight too", () => {
    expect(shortTime('2025-03-01T00:30:00.000Z')).toBe('2025-03-01 08:30');
    expect(shortTime('2025-03-01T20:45:10.123Z')).toBe('2025-03-02 04:45');
  });

  test("keeps HIS's local date-times without an offset as they are", () => {
    expect(shortTime('2025-03-01 09:10:00')).toBe('2025-03-01 09:10');
  });

  test('is empty for nothing and returns what it cannot read', () => {
    expect(shortTime(undefined)).toBe('');
    expect(shortTime('明天')).toBe('明天');
  });
});

test('spokenFen reads fen as yuan', () => {
  expect(spokenFen(1500)).toBe('15.00元');
});
