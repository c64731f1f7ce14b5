import { lineTotalFen, normalizeCnt, normalizePric } from './decimal';

describe('national unit price and quantity precision', () => {
  it('keeps a per-tablet price at six decimals', () => {
    expect(normalizePric('0.123456')).toBe('0.123456');
    expect(normalizePric('0.1234567')).toBeUndefined();
  });

  it('keeps a quantity at four decimals', () => {
    expect(normalizeCnt('1.5000')).toBe('1.5');
    expect(normalizeCnt('0.00001')).toBeUndefined();
  });

  it('multiplies 0.333333 yuan by 30 tablets into 10.00 yuan, rounding half up to the fen', () => {
    // 0.333333 × 30 = 9.99999 → 1000 fen
    expect(lineTotalFen('0.333333', '30')).toBe(1000);
  });

  it('multiplies without floating-point error where 0.1 × 3 would not be 0.3', () => {
    expect(lineTotalFen('0.1', '3')).toBe(30);
    expect(lineTotalFen('12.345678', '2.5')).toBe(3086); // 30.864195
  });

  it('refuses text that is not a decimal', () => {
    expect(lineTotalFen('1e3', '1')).toBeUndefined();
  });
});
