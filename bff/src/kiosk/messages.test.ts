import { orderFixture } from '../domain/fixtures';
import { feeUploadData, payOrderData, type FeeUploadInput } from '../national/messages';
import { kioskConfigOf } from './config';
import { ecQueryBody, parseEcQueryAnswer, VoucherFormatError, VoucherRefusedError } from './e-voucher';

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
  preSettlement: o.preSettlement,
  totalFen: 0,
  ...auth,
});
const placing = { orgCodg: 'H1', payOrdId: 'ORD1', payToken: 'T', orgBizSer: 'S1', chrgBchno: 'B1', location: '113.1,23.1' };

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

describe('the e-voucher service ec.query', () => {
  const cfg = { ...kioskConfigOf({ env: 'test' }, {}).eVoucher, orgId: 'H44010600001' };

  it('sends the body of HSA DzpzOutptBOImpl.ecQuery with the kiosk as operator', () => {
    // the shape written out from DzpzOutptBOImpl.java L55-71, not built with the code under test
    expect(ecQueryBody(cfg, 'QR1', 'KIOSK-1')).toEqual({
      data: { orgId: 'H44010600001', businessType: '01101', operatorId: 'KIOSK-1', operatorName: '自助机', officeId: 'MZ', officeName: '门诊收费处', deviceType: 'SelfService', qrCode: 'QR1' },
      orgId: 'H44010600001',
      transType: 'ec.query',
    });
  });

  it('reads the fields HSA reads from a decoded voucher, insuOrg as the insured region', () => {
    const v = parseEcQueryAnswer({ code: '0', data: { ecToken: 'EC1', idNo: '440106196503122134', userName: '张建国', idType: '01', insuOrg: '440100' } });
    expect(v).toEqual({ ecToken: 'EC1', idNo: '440106196503122134', userName: '张建国', idType: '01', insuplcAdmdvs: '440100' });
  });

  it('reports a refusal with its code and a voucher without an ecToken as unreadable', () => {
    expect(() => parseEcQueryAnswer({ code: '2021', message: '二维码已过期' })).toThrow(VoucherRefusedError);
    expect(() => parseEcQueryAnswer({ code: 0, data: { idNo: '440106196503122134', userName: '张建国', insuOrg: '440100' } })).toThrow(VoucherFormatError);
  });
});

describe('the kiosk configuration', () => {
  it('reads vouchers at the e-voucher service path of HSA', () => {
    expect(kioskConfigOf({ env: 'test' }, {}).eVoucher.path).toBe('/localcfc/api/hsecfc/localQrCodeQuery');
  });

  it('orders at the cashier path of the official cashier SDK sample', () => {
    expect(kioskConfigOf({ env: 'test' }, {}).cashier.unifiedOrderPath).toBe('/pmc/api/spc/unifiedOrder/UNION_CHS');
  });

  it('lets the environment override the configuration file', () => {
    const cfg = kioskConfigOf({ env: 'test', kiosk: { pollAfterMs: 5000 } } as { env: 'test' }, { MIP_KIOSK_POLL_AFTER_MS: '700' });
    expect(cfg.pollAfterMs).toBe(700);
  });
});
