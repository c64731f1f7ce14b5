import { orderFixture } from '../domain/fixtures';
import { feeUploadData, payOrderData, type FeeUploadInput } from './messages';

const o = orderFixture();
const upload = (auth: { payAuthNo?: string; ecToken?: string }): FeeUploadInput => ({
  orgCodg: 'H1',
  orderNo: o.orderNo,
  chrgBchno: 'B1',
  psnNo: o.psnNo,
  insutype: o.insutype,
  regionCode: o.regionCode,
  identity: { idNo: '440106196503122134', name: '张建国' },
  location: '113.1,23.1',
  // mdtrtId: required in 6201 without ecToken, and in every 6202 (TSX validate6201FeeUpload / validate6202Request)
  preSettlement: { ...o.preSettlement, visit: { ...o.preSettlement.visit, mdtrtId: 'MDT1' } },
  totalFen: 0,
  ...auth,
});
const placing = { orgCodg: 'H1', payOrdId: 'ORD1', payToken: 'T', orgBizSer: 'S1', chrgBchno: 'B1', mdtrtId: 'MDT1', location: '113.1,23.1' };

describe('the centre messages of the kiosk path', () => {
  it('sends the ecToken instead of payAuthNo in 6201 and 6202', () => {
    for (const d of [feeUploadData(upload({ ecToken: 'EC1' })), payOrderData({ ...placing, ecToken: 'EC1' })]) {
      expect(d.ecToken).toBe('EC1');
      expect('payAuthNo' in d).toBe(false);
    }
  });

  it('keeps sending payAuthNo, and only it, on the mini-program path', () => {
    for (const d of [feeUploadData(upload({ payAuthNo: 'AUTH1' })), payOrderData({ ...placing, payAuthNo: 'AUTH1' })]) {
      expect(d.payAuthNo).toBe('AUTH1');
      expect('ecToken' in d).toBe(false);
    }
  });

  it('refuses to send both a payAuthNo and an ecToken', () => {
    expect(() => feeUploadData(upload({ payAuthNo: 'AUTH1', ecToken: 'EC1' }))).toThrow(/exclusive/);
  });
});
