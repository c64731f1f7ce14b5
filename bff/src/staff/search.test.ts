import { OrderSearch } from './contract';
import { chinaToday, daysBetween, paginate } from './search';

describe('staff order search criteria', () => {
  it('turns a China-time date range into the day keys of the index', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['20260227', '20260228', '20260301', '20260302']);
  });

  it('takes today in China time, which starts at 16:00 UTC', () => {
    expect(chinaToday(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(chinaToday(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
  });

  it('accepts a range of 31 days', () => {
    expect(OrderSearch.safeParse({ from: '2026-01-01', to: '2026-01-31' }).success).toBe(true);
  });

  it('refuses a range of 32 days', () => {
    expect(OrderSearch.safeParse({ from: '2026-01-01', to: '2026-02-01' }).success).toBe(false);
  });

  it('refuses a range that ends before it starts', () => {
    expect(OrderSearch.safeParse({ from: '2026-01-02', to: '2026-01-01' }).success).toBe(false);
  });

  it('needs a date range unless an order number is given', () => {
    expect(OrderSearch.safeParse({}).success).toBe(false);
    expect(OrderSearch.safeParse({ orderNo: 'o261123100000abcdef' }).data?.orderNo).toBe('O261123100000ABCDEF');
  });

  it('refuses an ID number with a wrong check digit', () => {
    expect(OrderSearch.safeParse({ from: '2026-01-01', to: '2026-01-01', idNo: '110101199003077777' }).success).toBe(false);
  });

  it('pages through results', () => {
    expect(paginate([1, 2, 3, 4, 5], 2, 2)).toEqual([3, 4]);
  });
});
