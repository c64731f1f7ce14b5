import type { StaffOrderRow } from './contract';
import { BOM, chinaTime, csvCell, CSV_HEADER, toCsv } from './csv';

const row: StaffOrderRow = {
  orderNo: 'O261123100000ABCDEF',
  kind: 'outpatient',
  channel: 'wechat',
  state: 'reversed',
  stateLabel: '已冲正退回',
  title: '门诊缴费：内科 2项',
  createdAt: '2026-11-23T16:30:05.000Z',
  paidAt: '2026-11-23T16:31:00.000Z',
  patient: { nameMasked: '张*', idNoMasked: '440106********2134' },
  amounts: { totalFen: 10_005, fundFen: 6_000, acctFen: 1_500, cashFen: 2_505 },
  refundedFen: 10_005,
  reviewOpen: false,
};

describe('the order CSV export', () => {
  it('starts with a UTF-8 byte-order mark so Excel reads the Chinese text', () => {
    expect(Buffer.from(toCsv([row]), 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(toCsv([]).startsWith(BOM)).toBe(true);
  });

  it('has a Chinese header line and CRLF line ends', () => {
    const lines = toCsv([row]).slice(1).split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
  });

  it('writes amounts as yuan text with two decimals', () => {
    const cells = toCsv([row]).split('\r\n')[1].split(',');
    expect(cells.slice(9, 14)).toEqual(['100.05', '60.00', '15.00', '25.05', '100.05']);
  });

  it('writes times in China time', () => {
    expect(chinaTime('2026-11-23T16:30:05.000Z')).toBe('2026-11-24 00:30:05');
    expect(toCsv([row])).toContain('2026-11-24 00:30:05');
  });

  it('writes only the masked patient', () => {
    const csv = toCsv([row]);
    expect(csv).toContain('张*,440106********2134');
    expect(csv).not.toMatch(/\d{17}[\dX]/);
  });

  it('quotes cells with commas, quotes or line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses text that Excel would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('leaves an empty pay time empty', () => {
    const { paidAt, ...unpaid } = row;
    expect(toCsv([unpaid]).split('\r\n')[1].split(',')[2]).toBe('');
  });
});
