import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeZip } from '../../../sandbox/alipay/zip';
import { encodeGbk } from '../../../sandbox/alipay/gbk';
import { personByKey } from '../../../sandbox/seed/persons';
import type { MessageInput } from '../../../bff/src/channels/port';
import { ALIPAY_MODES, alipayAppUser, alipayPaymentInput, authorizeAlipay, startAlipayEnv, type AlipayEnv } from '../../support/channels/alipay-env';
import { postJson, startReceiver, type Receiver } from '../../support/channels/servers';
import { detailCsvFromZip, parseAlipayDetail } from '../../../bff/src/channels/alipay/bill';
import { readZip, ZipLimitError } from '../../../bff/src/channels/alipay/zip';

let env: AlipayEnv;
let receiver: Receiver;
beforeAll(async () => {
  env = await startAlipayEnv();
  receiver = await startReceiver(async () => ({ status: 200, body: 'success' }));
});
afterAll(async () => {
  await env.close();
  await receiver.close();
});

const HEADER = '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function paid(personKey: string, a: { totalFen: number; fundFen: number; acctFen: number; cashFen: number }) {
  const auth = await authorizeAlipay(env, personKey);
  const q = alipayPaymentInput(personKey, auth, a, `${receiver.url}/notify/alipay/payment`);
  const c = await env.adapter.createPayment(q);
  await postJson(`${env.url}/sandbox/dev/pay`, { tradeNo: c.channelRef, outcome: 'ok' });
  return { orderNo: q.orderNo, tradeNo: c.channelRef, cashFen: a.cashFen };
}

const refund = (o: { orderNo: string; tradeNo: string; cashFen: number }, refundNo: string, refundFen: number) =>
  env.adapter.refundCash({ orderNo: o.orderNo, outTradeNo: o.orderNo, channelRef: o.tradeNo, refundNo, refundFen, paidCashFen: o.cashFen, reason: '退号' });

describe('Alipay refunds', () => {
  it('refunds the self-pay part once however often the same refund_request_no is sent', async () => {
    const o = await paid('zhang', { totalFen: 3_000, fundFen: 1_000, acctFen: 500, cashFen: 1_500 });
    const a = await refund(o, `RF${o.orderNo}`, 1_500);
    const b = await refund(o, `RF${o.orderNo}`, 1_500);
    expect(a).toMatchObject({ status: 'succeeded', channelRefundId: `RF${o.orderNo}` });
    expect(b).toEqual(a);
    const { refunds } = await (await fetch(`${env.url}/sandbox/refunds`)).json() as { refunds: { out_trade_no: string }[] };
    expect(refunds.filter((r) => r.out_trade_no === o.orderNo)).toHaveLength(1);
  });

  it('refuses a refund beyond the self-pay part', async () => {
    const o = await paid('wang', { totalFen: 3_000, fundFen: 2_000, acctFen: 0, cashFen: 1_000 });
    expect(await refund(o, `RA${o.orderNo}`, 800)).toMatchObject({ status: 'succeeded' });
    expect(await refund(o, `RB${o.orderNo}`, 800)).toMatchObject({ status: 'failed', code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
  });

  it('does nothing when told of an insurance refund', async () => {
    await expect(env.adapter.notifyInsuranceRefund()).resolves.toEqual({ status: 'not_needed' });
  });
});

describe('Alipay trade bill', () => {
  it('downloads, unzips and decodes the GBK detail file into payment and refund rows in fen', async () => {
    const o = await paid('zhou', { totalFen: 12_345, fundFen: 10_000, acctFen: 0, cashFen: 2_345 });
    await refund(o, `RX${o.orderNo}`, 345);
    const rows = await env.adapter.downloadBill(today());
    expect(rows.find((r) => r.outTradeNo === o.orderNo && r.kind === 'payment')).toMatchObject({ channel: 'alipay', amountFen: 2_345, status: '交易', cashTradeNo: expect.stringMatching(/^\d+$/) });
    expect(rows.find((r) => r.outTradeNo === o.orderNo && r.kind === 'refund')).toMatchObject({ amountFen: 345, refundNo: `RX${o.orderNo}`, status: '退款' });
  });

  it('carries injected mismatches: a dropped row, a changed amount and an unknown row', async () => {
    const a = await paid('liu', { totalFen: 1_000, fundFen: 500, acctFen: 0, cashFen: 500 });
    const b = await paid('huang', { totalFen: 1_000, fundFen: 300, acctFen: 0, cashFen: 700 });
    await postJson(`${env.url}/sandbox/bill-mutations`, {
      mutations: [{ op: 'drop', outTradeNo: a.orderNo }, { op: 'amount', outTradeNo: b.orderNo, amountFen: 701 }, { op: 'add', outTradeNo: 'STRANGER0001', amountFen: 99 }],
    });
    try {
      const rows = await env.adapter.downloadBill(today());
      expect(rows.some((r) => r.outTradeNo === a.orderNo)).toBe(false);
      expect(rows.find((r) => r.outTradeNo === b.orderNo)?.amountFen).toBe(701);
      expect(rows.find((r) => r.outTradeNo === 'STRANGER0001')?.amountFen).toBe(99);
    } finally {
      await fetch(`${env.url}/sandbox/bill-mutations`, { method: 'DELETE' });
    }
  });

  it('skips the # lines and refuses a row that does not have 25 cells', () => {
    const header = HEADER;
    const good = `#支付宝业务明细查询\n${header}\n2026\t,GH1\t,交易,挂号,2026-01-01 09:00:00,2026-01-01 09:00:01,,,,,x,0.29,0.29,0,0,0,0,0,,0,0,,0,0,\n#导出时间：[x]`;
    expect(parseAlipayDetail(good)).toEqual([{ channel: 'alipay', kind: 'payment', outTradeNo: 'GH1', cashTradeNo: '2026', amountFen: 29, time: '2026-01-01T01:00:01.000Z', status: '交易' }]);
    expect(() => parseAlipayDetail(`${header}\n2026,GH1,交易`)).toThrow(/25/);
  });

  it('reads a quoted product name with a comma, a quote and a # as one cell, and keeps the rest of the day', () => {
    // as a spreadsheet writes it (RFC 4180): the cell quoted, its quotes doubled, a trailing tab after the quote
    const rows = [
      '2026010122001\t,GH1\t,交易,"挂号费,专家号 ""特需"" #2"\t,2026-01-01 09:00:00,2026-01-01 09:00:01,,,,,x,12.30,12.30,0,0,0,0,0,,0,0,,0,0,',
      '2026010122002\t,GH2\t,退款,门诊缴费,2026-01-01 10:00:00,2026-01-01 10:00:02,,,,,x,-1.05,-1.05,0,0,0,0,0,,0,0,RF2,0,0,',
    ];
    const parsed = parseAlipayDetail(`#支付宝业务明细查询\r\n${HEADER}\r\n${rows.join('\r\n')}\r\n#交易合计：1笔，商家实收共12.30元\r\n`);
    expect(parsed.map((r) => [r.outTradeNo, r.kind, r.amountFen, r.refundNo])).toEqual([['GH1', 'payment', 1_230, undefined], ['GH2', 'refund', 105, 'RF2']]);
  });

  it('refuses an entry that inflates past the cap, whatever its header declares', () => {
    const zip = writeZip([{ name: 'a.csv', data: Buffer.alloc(10_000, 0x41) }]);
    expect(() => readZip(zip, { maxEntryBytes: 1_000, maxTotalBytes: 5_000, maxEntries: 4 })).toThrow(ZipLimitError);
    zip.writeUInt32LE(100, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24); // the directory now understates the size
    expect(() => readZip(zip, { maxEntryBytes: 1_000, maxTotalBytes: 5_000, maxEntries: 4 })).toThrow(/inflates past 1000 bytes/);
  });

  it('refuses an archive whose entries together pass the total cap', () => {
    const zip = writeZip([1, 2, 3].map((i) => ({ name: `${i}.csv`, data: Buffer.alloc(800, 0x41) })));
    expect(() => readZip(zip, { maxEntryBytes: 1_000, maxTotalBytes: 2_000, maxEntries: 4 })).toThrow(ZipLimitError);
    expect(readZip(zip, { maxEntryBytes: 1_000, maxTotalBytes: 2_400, maxEntries: 4 })).toHaveLength(3);
  });

  it('reads back the GBK file name and content of a zip the sandbox wrote', () => {
    const zip = writeZip([{ name: '2088_20260101_业务明细.csv', data: encodeGbk('支付宝交易号,商户订单号\r\n') }]);
    expect(readZip(zip)[0].name).toBe('2088_20260101_业务明细.csv');
    expect(detailCsvFromZip(zip)).toBe('支付宝交易号,商户订单号\r\n');
  });

  it('writes zips that Info-ZIP unzip tests as intact (when unzip is installed)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zip-')), 'bill.zip');
    fs.writeFileSync(file, writeZip([{ name: 'a.csv', data: encodeGbk('门诊缴费,'.repeat(100)) }, { name: 'b.csv', data: Buffer.from('') }]));
    const hasUnzip = ['/usr/bin/unzip', '/usr/local/bin/unzip'].some((p) => fs.existsSync(p));
    if (hasUnzip) expect(() => execFileSync('unzip', ['-tq', file], { stdio: 'pipe' })).not.toThrow();
  });

  it('refuses a zip whose data was damaged (CRC-32)', () => {
    const zip = writeZip([{ name: 'a.csv', data: Buffer.from('x'.repeat(200)) }]);
    zip[40] ^= 0xff;
    expect(() => readZip(zip)).toThrow();
  });
});

describe.each(ALIPAY_MODES)('Alipay mini-program messages (%s mode)', (userIdType) => {
  let menv: AlipayEnv;
  beforeAll(async () => {
    menv = await startAlipayEnv({ userIdType });
  });
  afterAll(() => menv.close());

  const msg = (openId: string): MessageInput => ({
    openId,
    template: 'registrationPaid',
    page: 'pages/order/detail?orderNo=GH1',
    fields: { title: '挂号成功', patientNameMasked: '张*国', amountText: '¥10.00', time: '2026-01-01 09:00' },
  });

  it("delivers a message to a subscriber in its mode's field, with the data as a JSON string of keywords", async () => {
    const user = await alipayAppUser(menv, 'zhang');
    await postJson(`${menv.url}/sandbox/dev/subscribe`, { userId: personByKey('zhang')!.alipayUserId, templateIds: [menv.cfg.subscribeTemplates.registrationPaid], decision: 'accept' });
    expect(await menv.adapter.sendMessage(msg(user))).toEqual({ status: 'sent' });
    const { messages } = await (await fetch(`${menv.url}/sandbox/messages`)).json() as { messages: Record<string, unknown>[] };
    const field = userIdType === 'user_id' ? 'to_user_id' : 'to_open_id';
    expect(messages.at(-1)).toMatchObject({ user_id: personByKey('zhang')!.alipayUserId, [field]: user, data: { keyword1: { value: '挂号成功' }, keyword3: { value: '¥10.00' } } });
  });

  it("is refused when the patient is named in the other mode's field", async () => {
    const { AlipayChannel } = await import('../../../bff/src/channels/alipay/adapter');
    const crossed = new AlipayChannel({ ...menv.cfg, userIdType: userIdType === 'user_id' ? 'open_id' : 'user_id' });
    expect(await crossed.sendMessage(msg(await alipayAppUser(menv, 'zhou')))).toMatchObject({ status: 'undeliverable', code: 'INVALID_PARAMETER' });
  });

  it('reports a patient who did not subscribe as undeliverable', async () => {
    expect(await menv.adapter.sendMessage(msg(await alipayAppUser(menv, 'chen')))).toMatchObject({ status: 'undeliverable', code: 'USER_NOT_SUBSCRIBED' });
  });

  it('asks for a retry when Alipay is unavailable', async () => {
    await postJson(`${menv.url}/sandbox/faults`, { op: 'templatemessage.send', kind: 'fail' });
    expect(await menv.adapter.sendMessage(msg(await alipayAppUser(menv, 'wang')))).toMatchObject({ status: 'retry' });
  });
});
