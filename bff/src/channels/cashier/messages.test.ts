import { CashierChannel } from './adapter';
import { CashierFormatError, parseCallback, statusOf, unifiedOrderData } from './messages';
import { ChannelSignatureError } from '../port';

/**
 * Outside vectors: the official cashier SDK sample `hsa.spc.sdk` `SpcClientTest.java` (public
 * test credentials and its published back-end callback), not produced by our code.
 */
const SPC = {
  appId: '8680E5AB99D74DBE96F8CAC5CEFAC232',
  appSecret: 'F75E27032F5541A7943C2A7F2615F80A',
  plafPublicKey: 'BPAX8QWe3+2rw/1UnYynjWcNrRV+elFLsLrRX7sPtOFsXu9ItEr6rXo+vGxMd5LYIFTTbjFU3nPHaLt21Msgwtc=',
  appPrivateKey: 'PgpKxcTtBLzg3/VHc383ulbSqQa2rmGlEUidhrKTImw=',
  callback:
    '{"encType":"SM4","appId":"8680E5AB99D74DBE96F8CAC5CEFAC232","signData":"YrIrYKeCYzPZzdCDrzP2EEJiAOE12Z61CXjDPyRXluNiIHeNWUKHlAOUgVA/g99g+pW+o+BXJkBOtla9tcju3A==","signType":"SM2","encData":"3aa85bd8d36e4e389d7c67d0d676ffc41eef8bc7b92195826b7fb8dcd89eb8495319df47daacf8352452550670db353eda40c17c50292efefc01c00c1206cc9c89a92a7c8ca4a41325b0a1cd0348d4d54e053ec0a8bfc45cfd2cb2214d3e6c10d9fcc31f952a9c255f0d519d78bb15c2ab5c8be4b4b27c777411b24f3b5ce56f4846ea7814f088968a9117d20af7be5e42b87280c7577c3bf775b41a1406090507cf7f03f326a8b5d373c66cb280e17c6f1fd62921568c668b8c972d79347bd835059885af17031c76400b26443307e49a07a06049f8db408070c6709080c98998dd37c0a49147c7b028d879cbd07fe5ce2fdb6b2b052ade65a8db72d144f4e3de14c017ba5eda03b286611ce1acccc3e9d8d784cf40258c50b4cced1e42cec726b19327c93861d4b8ac13136e245f89c7bbb627b2dd32f7f411bb2db0cbe6f3","version":"2.0.1","timestamp":1661239946874}',
};
const STATUSES = { paidStatuses: ['SUCCESS'], failedStatuses: ['FAIL'], pendingStatuses: ['PAYING'] };
const unused = () => {
  throw new Error('not used');
};

function sampleCashier(): CashierChannel {
  return new CashierChannel(
    { unifiedOrderPath: '/u', operator: 'H5', notifyPath: '/n', ...STATUSES, ackBody: '{"code":0}', timeoutMs: 1000, baseUrl: 'http://127.0.0.1:9', frontBackUrl: 'https://h.example/' },
    { baseUrl: 'http://127.0.0.1:9', appId: SPC.appId, appSecret: SPC.appSecret, privateKey: SPC.appPrivateKey, platformPublicKey: SPC.plafPublicKey, sm2UserId: '1234567812345678', version: '2.0.1', orgCodg: 'H1', orgName: 'H', timeoutMs: 1000, settledOrdStas: ['6'] },
    { querySettlement: unused, refund: unused, timestamp: () => '1' },
    async () => null,
  );
}

describe('the centre cashier on the wire', () => {
  it('orders with the fields and amounts of the SDK sample unified order', () => {
    // SpcClientTest.testRequest: amount 0.01, feeSumamt 0.03, fundPayAmt 0.02, othPayAmt 0, operator H5, idType 01
    const d = unifiedOrderData({
      orgCode: 'H35010200227',
      orgName: '福建中医药大学附属第二人民医院',
      operator: 'H5',
      payer: { idNo: 'XXXXXXXXX', name: 'XXX' },
      payOrdId: 'OORD350100202208231510102000000067',
      outTradeNo: 'OOORD350100202208231510102000000067',
      frontBackUrl: 'https://wwww.so.com',
      syncCalUrl: 'https://www.baidu.com',
      amounts: { totalFen: 3, fundFen: 2, acctFen: 1, cashFen: 0 },
    });
    expect(d).toEqual({
      orgCode: 'H35010200227',
      idNo: 'XXXXXXXXX',
      userName: 'XXX',
      idType: '01',
      payOrdId: 'OORD350100202208231510102000000067',
      operator: 'H5',
      outTradeNo: 'OOORD350100202208231510102000000067',
      orgName: '福建中医药大学附属第二人民医院',
      frontBackUrl: 'https://wwww.so.com',
      syncCalUrl: 'https://www.baidu.com',
      amount: '0.01',
      feeSumamt: '0.03',
      fundPayAmt: '0.02',
      othPayAmt: '0.00',
    });
  });

  it('opens and verifies the SDK sample callback and reads it as a paid notification of its cash part', async () => {
    const n = await sampleCashier().parseNotification({ headers: {}, rawBody: Buffer.from(SPC.callback) });
    expect(n).toEqual({
      kind: 'payment',
      eventId: '78968599c79b4419beebccef77d022ae',
      outTradeNo: 'OORD350100202208231519582000000067',
      channelRef: 'ORD350100202208231519582000000067',
      status: 'paid',
      cashPaidFen: 0,
      cashTradeNo: 'MP0000000000034698',
    });
  });

  it('refuses the sample callback once a byte of it is changed, before reading it', async () => {
    const forged = SPC.callback.replace('"signData":"Yr', '"signData":"Zr');
    await expect(sampleCashier().parseNotification({ headers: {}, rawBody: Buffer.from(forged) })).rejects.toThrow(ChannelSignatureError);
  });

  it('takes an unlisted trade status as unknown, never as paid or failed', () => {
    expect(statusOf('SUCCESS', STATUSES)).toBe('paid');
    expect(statusOf('FAIL', STATUSES)).toBe('failed');
    expect(statusOf('REFUNDING', STATUSES)).toBe('unknown');
  });

  it('refuses a callback without tradeStatus, payOrdId or outTradeNo, or a paid one without amount', () => {
    expect(() => parseCallback({ payOrdId: 'P', outTradeNo: 'O', amount: '1.00' }, STATUSES)).toThrow(CashierFormatError);
    expect(() => parseCallback({ tradeStatus: 'SUCCESS', payOrdId: 'P', outTradeNo: 'O' }, STATUSES)).toThrow(CashierFormatError);
    expect(parseCallback({ tradeStatus: 'FAIL', payOrdId: 'P', outTradeNo: 'O' }, STATUSES)).toMatchObject({ status: 'failed', channelRef: 'P' });
  });
});
