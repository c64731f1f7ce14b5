import { isValidIdNumber, maskIdNumber, maskName } from './id-number';

describe('ID numbers', () => {
  it('accepts a number whose check character matches', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it('refuses a wrong check character, a wrong length and impossible dates', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('1101051949123100')).toBe(false);
    expect(isValidIdNumber('110105194913310020')).toBe(false);
  });

  it('masks all but the region prefix and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('masks names down to the family name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
  });
});
