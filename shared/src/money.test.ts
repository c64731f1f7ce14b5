import fc from 'fast-check';
import { assertSplit, fenToYuan, formatFen, MoneyFormatError, splitAddsUp, yuanToFen } from './money';

describe('yuanToFen', () => {
  it.each([
    ['12.30', 1230],
    ['12.3', 1230],
    ['0.05', 5],
    ['7', 700],
    ['0.10', 10],
    ['-1.00', -100],
    ['1234567.89', 123456789],
  ])('parses %s as %d fen', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen);
  });

  it('parses amounts that floats get wrong exactly', () => {
    // 0.29 * 100 = 28.999999999999996 and 1.005 style traps never happen on decimal text
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('19.99')).toBe(1999);
    expect(yuanToFen(4.35)).toBe(435);
  });

  it.each(['', '1.234', 'abc', '1,00', '1e3', '.5', '5.', ' ', '--1', '+1', 'NaN', 'Infinity'])('refuses %p', (text) => {
    expect(() => yuanToFen(text)).toThrow(MoneyFormatError);
  });

  it('refuses non-finite and exponent numbers', () => {
    expect(() => yuanToFen(Number.NaN)).toThrow(MoneyFormatError);
    expect(() => yuanToFen(1e21)).toThrow(MoneyFormatError);
  });

  it('round-trips every fen amount through yuan text', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => yuanToFen(fenToYuan(fen)) === fen));
  });
});

describe('fenToYuan', () => {
  it('always writes two decimals', () => {
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(1230)).toBe('12.30');
    expect(fenToYuan(-7)).toBe('-0.07');
    expect(formatFen(100)).toBe('¥1.00');
  });

  it('refuses fractional fen', () => {
    expect(() => fenToYuan(1.5)).toThrow(MoneyFormatError);
  });
});

describe('split', () => {
  it('accepts a split whose parts add up to the total', () => {
    expect(splitAddsUp({ totalFen: 1000, fundFen: 600, acctFen: 100, cashFen: 300 })).toBe(true);
  });

  it('refuses a split that is one fen off', () => {
    expect(() => assertSplit({ totalFen: 1000, fundFen: 600, acctFen: 100, cashFen: 299 })).toThrow(MoneyFormatError);
  });

  it('refuses negative parts even when the sum matches', () => {
    expect(splitAddsUp({ totalFen: 100, fundFen: 200, acctFen: -100, cashFen: 0 })).toBe(false);
  });
});
