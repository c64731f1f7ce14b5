import { BillDate } from './bills';

describe('BillDate', () => {
  it('refuses impossible dates as a validation issue instead of throwing (was a 500 on GET /his/v1/bills?date=2026-13-45)', () => {
    for (const d of ['2026-13-45', '2026-00-10', '9999-99-99', '2026-02-30', '2026-11-31']) {
      expect(() => BillDate.safeParse(d)).not.toThrow();
      expect(BillDate.safeParse(d).success).toBe(false);
    }
  });

  it('accepts real days', () => {
    for (const d of ['2026-11-24', '2024-02-29', '1999-12-31']) expect(BillDate.safeParse(d).success).toBe(true);
  });
});
