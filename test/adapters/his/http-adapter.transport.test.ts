import http from 'node:http';
import { freePort } from '../../../scripts/stack/ports';
import { createHisSandbox } from '../../../sandbox/his/app';
import { startHis, TEST_CLIENT, type RunningHis } from '../../../sandbox/his/testing';
import { peerEvents, type PeerCallEvent } from '../../../bff/src/peers/http-client';
import { signRequest } from '../../../bff/src/security/hmac-request';
import { HisUnclearError, type HisPort } from '../../../bff/src/his/port';
import { adapterFor, preSettledBills, settlementOf, ZHANG } from '../../support/his-fixtures';

let his: RunningHis;
let port: HisPort;
let calls: PeerCallEvent[] = [];
const record = (e: PeerCallEvent) => calls.push(e);

beforeAll(async () => {
  his = await startHis();
  port = adapterFor(his, { timeoutMs: 300 });
  peerEvents.on('call', record);
});
afterAll(async () => {
  peerEvents.off('call', record);
  await his.stop();
});
beforeEach(async () => {
  await his.reset();
  calls = [];
});

const callsOf = (op: string) => calls.filter((c) => c.peer === 'his' && c.op === op);

describe('HIS request signing', () => {
  it('refuses an unsigned request with 401 and code 103', async () => {
    const res = await fetch(`${his.url}/api/regions`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: '103' });
  });

  it('refuses a request signed with the wrong secret', async () => {
    const headers = { ...signRequest(TEST_CLIENT.clientId, 'not-the-secret-at-all', 'GET', '/api/regions') };
    const res = await fetch(`${his.url}/api/regions`, { headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: '103', message: expect.stringContaining('签名') });
  });

  it('refuses a stale signature with code 104', async () => {
    const headers = { ...signRequest(TEST_CLIENT.clientId, TEST_CLIENT.secret, 'GET', '/api/regions', '', Date.now() - 3_600_000) };
    const res = await fetch(`${his.url}/api/regions`, { headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: '104' });
  });

  it('surfaces a refused signature as HisUnclearError without repeating it', async () => {
    const wrong = adapterFor(his, { clientSecret: 'a-wrong-secret-value' });
    await expect(wrong.listRegions()).rejects.toThrow(/signature/);
    expect(callsOf('regions')).toHaveLength(1);
  });
});

describe('HIS retries', () => {
  it('repeats a read that timed out', async () => {
    await his.fault({ op: 'departments', kind: 'timeout' });
    expect((await port.listDepartments()).length).toBeGreaterThan(5);
    expect(callsOf('departments').map((c) => c.failure)).toEqual(['timeout', undefined]);
  });

  it('repeats a read whose connection was dropped or answered garbage', async () => {
    await his.fault({ op: 'bills', kind: 'drop', times: 1 });
    await his.fault({ op: 'bills', kind: 'ambiguous', times: 1 });
    expect(await port.listUnpaidBills({ hisPatientId: 'P100001' })).toHaveLength(2);
    expect(callsOf('bills')).toHaveLength(3);
  });

  it('gives up on a read after the configured attempts with HisUnclearError', async () => {
    await his.fault({ op: 'regions', kind: 'fail', status: 503, times: -1 });
    await expect(port.listRegions()).rejects.toBeInstanceOf(HisUnclearError);
    expect(callsOf('regions')).toHaveLength(3);
  });

  it('does not repeat a read HIS clearly refused', async () => {
    await expect(port.getBill({ hisPatientId: 'P100001', billNo: 'MZCF000501' })).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(callsOf('bill')).toHaveLength(1);
  });

  it('does not repeat a write-back whose connection was dropped', async () => {
    const s = settlementOf('ORD-T1', await preSettledBills(adapterFor(his), ZHANG, 'ORD-T1'));
    await his.fault({ op: 'writeBack', kind: 'drop', times: 2 });
    await expect(port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
    expect(callsOf('writeBack')).toHaveLength(1);
    expect((await his.faultRules()).find((r) => r.op === 'writeBack')?.times).toBe(1);
  });

  it('does not repeat a pre-settlement that timed out', async () => {
    await his.fault({ op: 'preSettleOutpatient', kind: 'timeout' });
    await expect(preSettledBills(port, ZHANG, 'ORD-T2')).rejects.toBeInstanceOf(HisUnclearError);
    expect(callsOf('preSettleOutpatient')).toHaveLength(1);
  });

  it('repeats a mutating call that provably never reached HIS', async () => {
    const hisPort = await freePort();
    const late = adapterFor({ url: `http://127.0.0.1:${hisPort}` }, { retry: { attempts: 5, delayMs: 150 } });
    const server = http.createServer(createHisSandbox({ clients: [TEST_CLIENT], push: { enabled: false } }).app.callback());
    const pending = late.registerInsuredPatient(
      { patient: ZHANG, regionCode: '440100', psnNo: '44000000000000001001', benefit: { code: '310-11', name: '', insutype: '310', insutypeName: '', description: '' } },
      { idempotencyKey: 'REG-T3' },
    );
    await new Promise((r) => setTimeout(r, 100));
    await new Promise<void>((resolve) => server.listen(hisPort, '127.0.0.1', resolve));
    try {
      await expect(pending).resolves.toEqual({ hisPatientId: 'P100001' });
      expect(callsOf('registerPatient')[0].failure).toBe('not_delivered');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('throws HisUnclearError when HIS stays unreachable for a mutating call', async () => {
    const gone = adapterFor({ url: `http://127.0.0.1:${await freePort()}` });
    await expect(gone.releasePreSettlement({ preSettlementId: 'YJS1' }, { idempotencyKey: 'ORD-T4' })).rejects.toMatchObject({
      name: 'HisUnclearError',
      op: 'release',
    });
    expect(callsOf('release')).toHaveLength(3);
  });
});
