import { voucherRefusal } from './insurance';

const patient = { name: '张建国', idNo: '44030019000101123X' };

describe('the e-voucher holder against the patient (接入质量检查 #18)', () => {
  it('accepts the patient’s own voucher', () => {
    expect(voucherRefusal({ name: '张建国', idNo: '44030019000101123x', familyPay: false }, patient)).toBeUndefined();
  });

  it('refuses a voucher whose name differs even when the ID number matches', () => {
    expect(voucherRefusal({ name: '张建民', idNo: '44030019000101123X', familyPay: false }, patient)).toContain('不一致');
  });

  it('refuses a voucher whose ID number differs', () => {
    expect(voucherRefusal({ name: '张建国', idNo: '110101195001011234', familyPay: false }, patient)).toContain('不一致');
  });

  it('accepts another holder paying for the patient as 亲情付', () => {
    expect(voucherRefusal({ name: '李秀英', idNo: '110101195001011234', familyPay: true }, patient)).toBeUndefined();
  });

  it('refuses 亲情付 when the holder’s name or ID is not given', () => {
    expect(voucherRefusal({ idNo: '110101195001011234', familyPay: true }, patient)).toContain('亲情付');
  });
});
