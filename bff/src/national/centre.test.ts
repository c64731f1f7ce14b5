/**
 * The insurance-centre adapter (national/centre.ts) over the real client and a local HTTP server
 * that answers as the centre does: success as a sealed envelope whose data is the transaction's
 * answer, a business error as a bare `{code, message}` without encData (national notes §2.2; TSX
 * treats a body without encData as a business failure), no answer at all, or a 5xx. The envelope is
 * tested against outside vectors elsewhere (envelope*.test.ts); here only the mapping is under test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NationalConfig } from '../config/national';
import { generateKeyPair } from '../crypto/sm2';
import { NationalCentre } from './centre';
import { NationalClient } from './client';
import { seal } from './envelope';
import type { FeeUploadRequest, RefundRequest } from './port';

const appId = '0F0822652EB7CB91A644E638FBE9941E';
const appSecret = '30BFE2B0C715E516E5EDF21E289DA826';
const hospital = generateKeyPair();
const platform = generateKeyPair();

/** what the centre sends: `data` sealed with the platform's key */
const sealed = (data: object, timestamp = String(Date.now())) => seal(data, { appId, appSecret, privateKey: platform.privateKey }, { timestamp });

type Answer = { status?: number; body?: unknown } | 'silence';
let answer: Answer = { body: {} };
let requests = 0;
const server = http.createServer((req, res) => {
  requests++;
  req.resume();
  if (answer === 'silence') return; // the centre never answers
  res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answer.body));
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});
beforeEach(() => {
  requests = 0;
});

function centre(over: Record<string, unknown> = {}) {
  const cfg = NationalConfig.parse({ baseUrl, appId, appSecret, privateKey: hospital.privateKey, platformPublicKey: platform.publicKey, orgCodg: 'H1', orgName: '医院', timeoutMs: 300, ...over });
  return new NationalCentre(new NationalClient(cfg), cfg);
}
const answering = (body: unknown, status = 200) => {
  answer = { status, body };
};

const ref = { payOrdId: 'ORD1', payToken: 'T1', identity: { idNo: '440106196503122134', name: '张建国' } };
const refund: RefundRequest = { payOrdId: 'ORD1', appRefdSn: 'R1', at: new Date('2026-12-06T02:00:00Z'), amounts: { totalFen: 100, fundFen: 100, acctFen: 0, cashFen: 0 }, refdType: 'HI', authorization: { payAuthNo: 'AUTH1' } };
const order = { payAuthNo: 'AUTH1', payOrdId: 'ORD1', payToken: 'T1', orgBizSer: 'S1', chrgBchno: 'B1', mdtrtId: 'MDT1', location: '113.1,23.1', regionCode: '440100' };
const item = {
  feedetlSn: '1', medListCodg: 'X1', medinsListCodg: 'Y1', name: '片剂', quantity: '30', unitPriceFen: 33, unitPrice: '0.333333', amountFen: 1000, category: '乙类',
  bilgDeptCodg: 'D01', bilgDeptName: '内科', bilgDrCodg: 'DR1', bilgDrName: '李', feeOcurTime: '2026-12-06 09:00:00',
};
const visit = { iptOtpNo: 'MZ1', mdtrtId: 'MDT1', deptCode: 'D01', deptName: '内科', caty: 'A03', drCode: 'DR1', drName: '李', medType: '11', begntime: '2026-12-06 09:00:00', diseases: [{ code: 'J00', name: '感冒' }] };
const upload: FeeUploadRequest = {
  payAuthNo: 'AUTH1', orderNo: 'O1', chrgBchno: 'B1', psnNo: 'P1', insutype: '310', regionCode: '440100', identity: ref.identity, location: '113.1,23.1', preSettlement: { visit, items: [item] }, totalFen: 1000,
};
// a 6202/6301 answer as SYN Trade6202OutData has it
const settled = { payOrdId: 'ORD1', ordStas: '6', feeSumamt: '10.00', ownPayAmt: '2.00', psnAcctPay: '1.00', fundPay: '7.00', medOrgOrd: 'O1' };

describe('6203 through the insurance-centre port', () => {
  it('says refunded on refStatus SUCC, with the centre refund number and date', async () => {
    answering(sealed({ refdSn: 'ORD350100202208231519582000000067', hiTrnsDate: '20261206', hiTrnsTime: '100000', refStatus: 'SUCC' }));
    expect(await centre().refund(refund)).toEqual({ kind: 'refunded', refundRef: 'ORD350100202208231519582000000067', at: '20261206' });
  });

  it('says refused on refStatus FAIL', async () => {
    answering(sealed({ refStatus: 'FAIL' }));
    expect(await centre().refund(refund)).toMatchObject({ kind: 'refused' });
  });

  it('says abnormal on refStatus EXP: neither failed nor refunded, to be confirmed by 6301', async () => {
    answering(sealed({ refStatus: 'EXP' }));
    expect(await centre().refund(refund)).toMatchObject({ kind: 'abnormal', reason: '6203 refStatus=EXP' });
  });

  it('says unknown on a refStatus no source names', async () => {
    answering(sealed({ refStatus: 'PROC' }));
    expect(await centre().refund(refund)).toMatchObject({ kind: 'unknown' });
  });

  it('never takes an unsigned {code≠0} answer for a final refusal of a refund', async () => {
    answering({ code: 9999, message: '系统繁忙' });
    expect(await centre().refund(refund)).toMatchObject({ kind: 'unknown', why: 'untrusted_answer' });
  });

  it('says unknown when the centre does not answer in time', async () => {
    answer = 'silence';
    expect(await centre().refund(refund)).toMatchObject({ kind: 'unknown', why: 'timeout' });
  });

  it('says unknown on a 5xx, which the centre may have sent after acting', async () => {
    answering({ message: 'bad gateway' }, 502);
    expect(await centre().refund(refund)).toMatchObject({ kind: 'unknown', why: 'no_answer' });
  });

  it('says the authorization is missing, without sending, when the order holds none', async () => {
    expect(await centre().refund({ ...refund, authorization: undefined })).toMatchObject({ kind: 'authorization_missing' });
    expect(requests).toBe(0);
  });

  it('says the authorization is missing when configuration asks for an ecToken and the order was paid with payAuthNo', async () => {
    expect(await centre({ refundAuthorization: 'ecToken' }).refund(refund)).toMatchObject({ kind: 'authorization_missing' });
    expect(requests).toBe(0);
  });
});

describe('6201 and 6202 through the insurance-centre port', () => {
  it('says uploaded with the centre order of a 6201 answer', async () => {
    answering(sealed({ payOrdId: 'ORD1', payToken: 'T1', extData: { mdtrtId: 'MDT9' } }));
    expect(await centre().uploadFees(upload)).toEqual({ kind: 'uploaded', payOrdId: 'ORD1', payToken: 'T1', mdtrtId: 'MDT9' });
  });

  it('says not sendable, without sending, for a 6201 the centre would refuse (no mdtrtId with payAuthNo)', async () => {
    const r = await centre().uploadFees({ ...upload, preSettlement: { visit: { ...visit, mdtrtId: undefined }, items: [item] } });
    expect(r).toMatchObject({ kind: 'not_sendable', reason: expect.stringMatching(/mdtrtId/) });
    expect(requests).toBe(0);
  });

  it('says unknown for a 6201 answer that lacks the centre order', async () => {
    answering(sealed({ payToken: 'T1' }));
    expect(await centre().uploadFees(upload)).toMatchObject({ kind: 'unknown', why: 'untrusted_answer' });
  });

  it('says ordered with the status and the split of a 6202 answer', async () => {
    answering(sealed(settled));
    expect(await centre().placeOrder(order)).toMatchObject({ kind: 'ordered', status: { ordStas: '6', split: { totalFen: 1000, fundFen: 700, acctFen: 100, cashFen: 200 } } });
  });

  it('tells a spent or expired authorization (code 2001) from another refusal', async () => {
    answering({ code: '2001', message: '支付授权码无效或已过期' });
    expect(await centre().placeOrder(order)).toMatchObject({ kind: 'authorization_expired', reason: '2001 支付授权码无效或已过期' });
    answering({ code: '2004', message: '订单状态不允许下单' });
    expect(await centre().placeOrder(order)).toEqual({ kind: 'refused', code: '2004', reason: '2004 订单状态不允许下单' });
  });

  it('takes the codes of an expired authorization from configuration', async () => {
    answering({ code: '1401', message: '电子凭证已失效' });
    expect(await centre({}).placeOrder(order)).toMatchObject({ kind: 'refused' });
    expect(await centre({ authorizationExpiredCodes: ['1401'] }).placeOrder(order)).toMatchObject({ kind: 'authorization_expired' });
  });

  it('says unavailable when nothing reached the centre', async () => {
    expect(await centre({ baseUrl: 'http://127.0.0.1:9' }).placeOrder(order)).toMatchObject({ kind: 'unavailable' });
  });
});

describe('6301 and 6401 through the insurance-centre port', () => {
  it('answers the centre status as the centre wrote it, with the split', async () => {
    answering(sealed({ ...settled, extData: { setlinfo: [{ setl_id: 'S1' }] } }));
    expect(await centre().querySettlement(ref)).toMatchObject({ kind: 'answered', status: { ordStas: '6', setlId: 'S1', split: { totalFen: 1000 } } });
  });

  it('says unknown for a 6301 answer without ordStas', async () => {
    answering(sealed({ payOrdId: 'ORD1' }));
    expect(await centre().querySettlement(ref)).toMatchObject({ kind: 'unknown' });
  });

  it('says refused for a 6301 the centre refuses', async () => {
    answering({ code: '9999', message: '系统繁忙' });
    expect(await centre().querySettlement(ref)).toMatchObject({ kind: 'refused', code: '9999' });
  });

  it('says revoked only on success: true (TSX validate6401Response)', async () => {
    answering(sealed({ success: true }));
    expect(await centre().revokeUpload(ref)).toEqual({ kind: 'revoked' });
    answering(sealed({ success: false, message: '订单已结算' }));
    expect(await centre().revokeUpload(ref)).toMatchObject({ kind: 'refused' });
    answering(sealed({}));
    expect(await centre().revokeUpload(ref)).toMatchObject({ kind: 'unknown' });
  });
});

describe('6302 through the insurance-centre port', () => {
  const body = (e: object) => Buffer.from(JSON.stringify(e));

  it('opens a TSX-form notification (no ordStas, callType 02) into a report', () => {
    const n = centre().openNotification(body(sealed({ payOrdId: 'ORD1', callType: '02', medOrgOrd: 'O1', feeSumamt: '1.00', ownPayAmt: '1.00', psnAcctPay: '0', fundPay: '0', revsToken: 'R' })));
    expect(n).toMatchObject({ kind: 'report', stale: false, report: { payOrdId: 'ORD1', callType: '02', revsToken: 'R', split: { totalFen: 100 } } });
  });

  it('refuses a notification whose signature does not verify', () => {
    const e = sealed({ payOrdId: 'ORD1', ordStas: '6' });
    expect(centre().openNotification(body({ ...e, signData: sealed({ x: '1' }).signData }))).toMatchObject({ kind: 'refused', why: 'signature' });
  });

  it('refuses a body that is not JSON, and a notification without payOrdId', () => {
    expect(centre().openNotification(Buffer.from('<xml/>'))).toMatchObject({ kind: 'refused', why: 'malformed' });
    expect(centre().openNotification(body(sealed({ ordStas: '6' })))).toMatchObject({ kind: 'refused', why: 'malformed' });
  });

  it('accepts an authentic copy sealed hours ago as stale', () => {
    const old = sealed({ payOrdId: 'ORD1', ordStas: '6' }, String(Date.now() - 5 * 3600_000));
    expect(centre().openNotification(body(old))).toMatchObject({ kind: 'report', stale: true });
  });

  it('acknowledges in the TSX form by default and as {code:0} by configuration', () => {
    expect(centre().notificationAccepted()).toEqual({ status: 200, body: { success: true, message: '成功' } });
    expect(centre({ notifyAck: 'code0' }).notificationAccepted()).toEqual({ status: 200, body: { code: 0, message: '成功' } });
  });
});
