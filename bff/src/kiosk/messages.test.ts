import { kioskConfigOf } from './config';
import { ecQueryBody, parseEcQueryAnswer, VoucherFormatError, VoucherRefusedError } from './e-voucher';

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
