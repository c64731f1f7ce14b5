/**
 * The insurance-centre port: wire codes and refStatus values become domain outcomes here, so no
 * flow has to know them (issue 10 point 5).
 */
import { NationalConfig } from '../config/national';
import { PeerError } from '../peers/http-client';
import { NationalClient, NationalProtocolError, NationalRejectedError } from './client';
import type { RefundAnswer } from './messages';
import { centreRefusalOf, isAuthorizationExpired, refundAtCentre, type RefundRequest } from './port';

const request: RefundRequest = {
  payOrdId: 'ORD1', appRefdSn: 'R1', at: new Date('2026-12-06T02:00:00Z'), amounts: { totalFen: 100, fundFen: 100, acctFen: 0, cashFen: 0 }, refdType: 'HI', authorization: { payAuthNo: 'AUTH1' },
};
const answering = (a: RefundAnswer) => ({ refund: async () => a });
const failing = (e: Error) => ({ refund: async (): Promise<RefundAnswer> => { throw e; } });

// nothing listens on port 9: a request that left would come back as an unknown outcome
const client = (over: Record<string, unknown> = {}) =>
  new NationalClient(NationalConfig.parse({ baseUrl: 'http://127.0.0.1:9', appId: 'A'.repeat(32), appSecret: 'S', privateKey: 'k', platformPublicKey: 'p', orgCodg: 'H1', orgName: '医院', timeoutMs: 500, ...over }));

describe('the insurance-centre port', () => {
  it('says the authorization is missing, without sending, when the order holds none', async () => {
    expect(await refundAtCentre(client(), { ...request, authorization: undefined })).toMatchObject({ kind: 'authorization_missing' });
  });

  it('says the authorization is missing when configuration asks for an ecToken and the order was paid with payAuthNo', async () => {
    expect(await refundAtCentre(client({ refundAuthorization: 'ecToken' }), request)).toMatchObject({ kind: 'authorization_missing' });
  });

  it('turns refStatus SUCC into refunded, FAIL into refused and EXP into unknown', async () => {
    expect(await refundAtCentre(answering({ refStatus: 'SUCC', refdSn: 'RS1' }), request)).toEqual({ kind: 'refunded', refundRef: 'RS1' });
    expect((await refundAtCentre(answering({ refStatus: 'FAIL' }), request)).kind).toBe('refused');
    expect((await refundAtCentre(answering({ refStatus: 'EXP' }), request)).kind).toBe('unknown');
  });

  it('keeps a timeout and an answer it cannot trust unknown, never refused', async () => {
    expect((await refundAtCentre(failing(new PeerError('national', '6203', 'timeout', 'timed out')), request)).kind).toBe('unknown');
    expect((await refundAtCentre(failing(new NationalProtocolError('6203', 'unsigned answer 9999')), request)).kind).toBe('unknown');
  });

  it('tells an expired authorization from another refusal', () => {
    expect(centreRefusalOf(new NationalRejectedError('6202', '2001', '支付授权码无效或已过期')).kind).toBe('authorization_expired');
    expect(centreRefusalOf(new NationalRejectedError('6202', '2004', '订单状态不允许下单')).kind).toBe('refused');
    expect(isAuthorizationExpired(new NationalRejectedError('6202', '2001', ''))).toBe(true);
  });
});
