import fc from 'fast-check';
import { recodeSigned, wnaf } from './sm2-point';

const scalar = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });

describe('scalar recoding', () => {
  it('signed windows add back up to the scalar and stay within ±2^(w-1) (property)', () => {
    fc.assert(
      fc.property(scalar, fc.integer({ min: 4, max: 8 }), (k, w) => {
        const windows = Math.floor(256 / w) + 1;
        const digits = recodeSigned(k, w, windows);
        let sum = 0n;
        digits.forEach((d, i) => {
          sum += BigInt(d) << BigInt(w * i);
        });
        return sum === k && digits.every((d) => Math.abs(d) <= 1 << (w - 1));
      }),
      { numRuns: 200 },
    );
  });

  it('wNAF digits are odd, bounded, separated by at least w-1 zeros and add back up to the scalar (property)', () => {
    fc.assert(
      fc.property(scalar, fc.integer({ min: 2, max: 7 }), (k, w) => {
        const naf = wnaf(k, w);
        let sum = 0n;
        let last = -w;
        for (let i = 0; i < naf.length; i++) {
          const d = naf[i];
          if (d === 0) continue;
          if (d % 2 === 0 || Math.abs(d) >= 1 << (w - 1) || i - last < w) return false;
          last = i;
          sum += BigInt(d) << BigInt(i);
        }
        return sum === k;
      }),
      { numRuns: 200 },
    );
  });
});
