/**
 * A HIS reversal (冲正) reverses the insurance settlement at the centre, as a real HIS does.
 * Before, the sandbox HIS only recorded the reversal in its own ledger: the centre kept reporting
 * the order as settled (ordStas 6), and every reconciliation after a C6 reversal through HIS
 * reported a difference that does not exist in the real world (found by the fault suite).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHis } from './testing';
import { CentreStore, type CentreOrder } from '../national/store';
import { Centre, CentreError } from '../national/transactions';
import { DEFAULT_POLICY } from '../national/policy';

async function fakeCentre(answer: { ok: boolean; code?: string; message?: string }) {
  const calls: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === '/sandbox/internal/reverse') calls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).payOrdId);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, stop: () => new Promise((r) => server.close(r)) };
}

const body = { pay_ord_id: 'ORD440100TEST0001', total_fen: 1000, fund_fen: 600, acct_fen: 0, cash_fen: 400 };

describe('HIS reversal (冲正) and the centre', () => {
  it('reverses at the centre first, once, and records the reversal', async () => {
    const centre = await fakeCentre({ ok: true });
    const his = await startHis({ centreUrl: centre.url });
    try {
      const r = await his.api('POST', '/api/settlements/O261124000000REV001/reversal', body, { 'idempotency-key': 'O261124000000REV001RV' });
      expect(r.status).toBe(200);
      const again = await his.api('POST', '/api/settlements/O261124000000REV001/reversal', body, { 'idempotency-key': 'O261124000000REV001RV' });
      expect(again.json).toEqual(r.json);
      expect(centre.calls).toEqual(['ORD440100TEST0001']);
      expect((await his.ledger('O261124000000REV001')).reversals).toHaveLength(1);
    } finally {
      await his.stop();
      await centre.stop();
    }
  });

  it('refuses the reversal, and records nothing, when the centre refuses it', async () => {
    const centre = await fakeCentre({ ok: false, code: '2004', message: '订单状态不允许冲正' });
    const his = await startHis({ centreUrl: centre.url });
    try {
      const r = await his.api('POST', '/api/settlements/O261124000000REV002/reversal', body, { 'idempotency-key': 'O261124000000REV002RV' });
      expect(r.json).toMatchObject({ code: '500' });
      expect((await his.ledger('O261124000000REV002')).reversals).toHaveLength(0);
    } finally {
      await his.stop();
      await centre.stop();
    }
  });
});

describe('the centre side of a HIS reversal', () => {
  function settled(store: CentreStore): CentreOrder {
    const o = {
      payOrdId: 'ORD1', payToken: 't', medOrgOrd: 'O1', chrgBchno: 'B1', mdtrtId: 'M1', psnNo: 'PSN1', insutype: '310', idNo: 'x', name: 'y', regionCode: '440100',
      payAuthNo: 'A1', lines: [], totalFen: 1000, uploadFingerprint: 'f', ordStas: '6', orgBizSers: [], createdAt: new Date().toISOString(), refunds: [],
      split: { totalFen: 1000, fundFen: 500, acctFen: 100, cashFen: 400 },
    } as CentreOrder;
    store.orders.set(o.payOrdId, o);
    store.balances.set('PSN1', 0);
    return o;
  }

  it('turns a settled order into 13 医保已撤销 and gives the personal account back, once', () => {
    const store = new CentreStore();
    const centre = new Centre(store, { orgCodg: 'H1', policy: DEFAULT_POLICY, refundRequiresPayAuthNo: false });
    settled(store);
    expect(centre.reverseInsurance('ORD1').ordStas).toBe('13');
    expect(centre.reverseInsurance('ORD1').ordStas).toBe('13');
    expect(store.balances.get('PSN1')).toBe(100);
  });

  it('refuses an order that is not settled', () => {
    const store = new CentreStore();
    const centre = new Centre(store, { orgCodg: 'H1', policy: DEFAULT_POLICY, refundRequiresPayAuthNo: false });
    settled(store).ordStas = '1';
    expect(() => centre.reverseInsurance('ORD1')).toThrow(CentreError);
  });
});
