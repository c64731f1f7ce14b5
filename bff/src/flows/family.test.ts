import { authorizationMisfit } from './family';
import { authorizationView } from './insurance';

const own = { payer: { familyPay: false } };
const family = { payer: { familyPay: true, sealed: 'x' } };
const forMember = { familyMember: { memberId: 'fmAAAAAAAAAA', relation: 'parent' } };

describe('which authorization an order may spend (亲情付, wechatpay-skills 开发参数与业务规则 §五)', () => {
  it("asks for 亲情付 when a relative's order meets the holder's own authorization", () => {
    expect(authorizationMisfit(forMember, own)?.message).toBe('家人用医保支付需要先开通亲情付，这次没有扣款。请开通后再支付，或选择自费');
  });

  it("refuses a family-pay authorization for the holder's own order", () => {
    expect(authorizationMisfit({}, family)?.code).toBe('AUTHORIZATION_REQUIRED');
  });

  it("lets a relative's order spend a family-pay authorization", () => {
    expect(authorizationMisfit(forMember, family)).toBeUndefined();
  });

  it("lets one's own order spend one's own authorization", () => {
    expect(authorizationMisfit({}, own)).toBeUndefined();
  });
});

describe('the authorization as the patient sees it', () => {
  it('counts the whole seconds left of an active authorization', () => {
    const v = authorizationView({ state: 'active', expiresAt: '2026-12-06T12:04:00.000Z', familyPay: false }, new Date('2026-12-06T12:00:00.500Z'));
    expect(v).toMatchObject({ state: 'active', remainingSeconds: 239 });
  });

  it('never shows a negative life', () => {
    const v = authorizationView({ state: 'active', expiresAt: '2026-12-06T12:04:00.000Z', familyPay: false }, new Date('2026-12-06T12:05:00.000Z'));
    expect(v).toMatchObject({ remainingSeconds: 0 });
  });

  it('passes an expired authorization through as expired', () => {
    expect(authorizationView({ state: 'expired', expiresAt: '2026-12-06T12:04:00.000Z', familyPay: true }, new Date())).toEqual({ state: 'expired', expiresAt: '2026-12-06T12:04:00.000Z', familyPay: true });
  });
});
