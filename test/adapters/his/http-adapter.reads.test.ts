import { startHis, type RunningHis } from '../../../sandbox/his/testing';
import { HisRejectedError, type HisPort } from '../../../bff/src/his/port';
import { adapterFor, CHEN, HUANG, insuredPatient, LI, preSettledBills, ZHANG, ZHAO } from '../../support/his-fixtures';

let his: RunningHis;
let port: HisPort;

beforeAll(async () => {
  his = await startHis();
  port = adapterFor(his);
});
afterAll(() => his.stop());
beforeEach(() => his.reset());

describe('HIS adapter: patients and insurance (C7, C8, C10)', () => {
  it('lists the regions the hospital supports', async () => {
    expect(await port.listRegions()).toEqual([
      { code: '440100', name: '广州市' },
      { code: '440300', name: '深圳市' },
      { code: '330100', name: '杭州市' },
    ]);
  });

  it('reports an insured patient with psnNo, region and benefits', async () => {
    const status = await port.insuranceStatus({ patient: HUANG, regionCode: '440100' });
    expect(status).toMatchObject({ insured: true, psnNo: '44000000000000001007', insuplcAdmdvs: '440100' });
    if (!status.insured) throw new Error('expected insured');
    expect(status.benefits.map((b) => b.name)).toEqual(['职工基本医疗保险-普通门诊统筹', '门诊慢特病-高血压']);
    expect(status.benefits[0]).toMatchObject({ insutype: '310', insutypeName: '职工基本医疗保险', psnType: expect.any(String) });
  });

  it('reports a person never enrolled in the chosen region as not insured', async () => {
    expect(await port.insuranceStatus({ patient: ZHAO, regionCode: '440100' })).toEqual({
      insured: false,
      reason: 'not_enrolled',
      message: expect.stringContaining('未'),
    });
  });

  it('reports a person insured only outside the supported regions as not insured there', async () => {
    expect(await port.insuranceStatus({ patient: LI, regionCode: '440100' })).toMatchObject({ insured: false, reason: 'other_region' });
  });

  it('reports suspended insurance as not insured', async () => {
    expect(await port.insuranceStatus({ patient: CHEN, regionCode: '440300' })).toMatchObject({ insured: false, reason: 'suspended' });
  });

  it('refuses a region the hospital does not support as invalid', async () => {
    await expect(port.insuranceStatus({ patient: LI, regionCode: '110100' })).rejects.toMatchObject({ name: 'HisRejectedError', code: 'INVALID' });
  });

  it('registers an insured patient and answers their HIS patient id', async () => {
    const p = await insuredPatient(port, ZHANG);
    expect(p.hisPatientId).toMatch(/^P\d+$/);
  });

  it('refuses to register a patient under someone else’s psnNo', async () => {
    const status = await port.insuranceStatus({ patient: ZHANG, regionCode: '440100' });
    if (!status.insured) throw new Error('expected insured');
    const attempt = port.registerInsuredPatient(
      { patient: ZHANG, regionCode: '440100', psnNo: '44000000000000001007', benefit: status.benefits[0] },
      { idempotencyKey: 'REG-x' },
    );
    await expect(attempt).rejects.toMatchObject({ name: 'HisRejectedError', code: 'INVALID' });
  });

  it('finds patients by outpatient number when the hospital indexes them that way', async () => {
    const byOutpatientNo = adapterFor(his, { patientIndex: 'outpatientNo' });
    expect(byOutpatientNo.capabilities.patientIndex).toBe('outpatientNo');
    const status = await byOutpatientNo.insuranceStatus({ patient: { ...ZHANG, outpatientNo: 'MZ20190001' }, regionCode: '440100' });
    expect(status.insured).toBe(true);
    await expect(byOutpatientNo.insuranceStatus({ patient: { ...ZHANG, outpatientNo: 'MZ20190007' }, regionCode: '440100' })).rejects.toMatchObject({
      code: 'INVALID',
    });
  });
});

describe('HIS adapter: registration (C14)', () => {
  it('lists departments with their national caty codes', async () => {
    const depts = await port.listDepartments();
    expect(depts).toContainEqual(expect.objectContaining({ code: '0101', name: '内科', caty: 'A03' }));
    expect(depts.map((d) => d.name)).toEqual(expect.arrayContaining(['外科', '儿科', '妇产科', '眼科', '口腔科', '中医科']));
  });

  it('lists a department’s doctors with their titles', async () => {
    const doctors = await port.listDoctors('0101');
    expect(doctors.map((d) => d.title)).toEqual(['主任医师', '副主任医师', '主治医师']);
    expect(doctors.every((d) => d.deptCode === '0101' && d.available)).toBe(true);
  });

  it('lists a doctor’s slots for today and the next six days with the fee of their grade', async () => {
    const slots = await port.listSlots('D1003');
    expect(new Set(slots.map((s) => s.date)).size).toBe(7);
    expect(slots[0]).toMatchObject({ doctorCode: 'D1003', deptCode: '0101', period: 'morning', startTime: '08:00', feeFen: 1000 });
    expect((await port.listSlots('D1001'))[0].feeFen).toBe(6000);
  });

  it('pre-settles a registration into a 挂号费 and a 诊察费 line and locks one place', async () => {
    const p = await insuredPatient(port, ZHANG);
    const slot = (await port.listSlots('D1002')).find((s) => s.remaining > 0 && s.date > new Date().toISOString().slice(0, 10))!;
    const ps = await port.preSettleRegistration({ ...p, slotId: slot.slotId }, { idempotencyKey: 'ORD-R1' });
    expect(ps.totalFen).toBe(3000);
    expect(ps.items.map((i) => [i.name, i.amountFen, i.category])).toEqual([
      ['挂号费', 100, '丙类'],
      ['副主任医师门诊诊察费', 2900, '甲类'],
    ]);
    expect(ps.visit).toMatchObject({ deptName: '内科', caty: 'A03', drCode: 'D1002', medType: '12' });
    const e = ps.estimate!;
    expect(e.fundFen + e.acctFen + e.cashFen).toBe(3000);
    const after = (await port.listSlots('D1002')).find((s) => s.slotId === slot.slotId)!;
    expect(after.remaining).toBe(slot.remaining - 1);
  });

  it('gives a released registration place back to the slot', async () => {
    const p = await insuredPatient(port, ZHANG);
    const slot = (await port.listSlots('D1003')).find((s) => s.remaining > 0)!;
    const ps = await port.preSettleRegistration({ ...p, slotId: slot.slotId }, { idempotencyKey: 'ORD-R2' });
    await port.releasePreSettlement({ preSettlementId: ps.preSettlementId }, { idempotencyKey: 'ORD-R2' });
    expect((await port.listSlots('D1003')).find((s) => s.slotId === slot.slotId)!.remaining).toBe(slot.remaining);
  });

  it('refuses a slot that does not exist as NOT_FOUND', async () => {
    const p = await insuredPatient(port, ZHANG);
    await expect(port.preSettleRegistration({ ...p, slotId: 'D1003-19990101-AM' }, { idempotencyKey: 'ORD-R3' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('HIS adapter: outpatient bills (C13)', () => {
  it('lists a patient’s unpaid bills', async () => {
    const p = await insuredPatient(port, ZHANG);
    const bills = await port.listUnpaidBills({ hisPatientId: p.hisPatientId });
    expect(bills.map((b) => [b.billNo, b.title, b.totalFen, b.itemCount])).toEqual([
      ['MZCF000101', '西药处方', 4550, 3],
      ['MZCF000102', '检验申请单', 3300, 3],
    ]);
  });

  it('answers a bill with its 6201 fee lines', async () => {
    const p = await insuredPatient(port, ZHANG);
    const bill = await port.getBill({ hisPatientId: p.hisPatientId, billNo: 'MZCF000101' });
    expect(bill.items[0]).toMatchObject({
      medListCodg: 'XJ01CAA040A001010101445',
      name: '阿莫西林胶囊',
      quantity: '2',
      unitPriceFen: 1260,
      amountFen: 2520,
      category: '甲类',
      bilgDeptName: '内科',
      rxno: 'MZCF000101',
    });
    expect(bill.items.reduce((t, i) => t + i.amountFen, 0)).toBe(bill.totalFen);
  });

  it('keeps a decimal quantity as decimal text', async () => {
    const p = await insuredPatient(port, HUANG);
    const bill = await port.getBill({ hisPatientId: p.hisPatientId, billNo: 'MZCF000502' });
    expect(bill.items.find((i) => i.name.startsWith('当归'))).toMatchObject({ quantity: '12.5', unitPriceFen: 20, amountFen: 250 });
  });

  it('refuses another patient’s bill as NOT_OWNER', async () => {
    const p = await insuredPatient(port, ZHANG);
    const err = await port.getBill({ hisPatientId: p.hisPatientId, billNo: 'MZCF000501' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HisRejectedError);
    expect(err).toMatchObject({ code: 'NOT_OWNER' });
  });

  it('refuses to pre-settle another patient’s bill as NOT_OWNER', async () => {
    const p = await insuredPatient(port, ZHANG);
    await expect(port.preSettleOutpatient({ ...p, billNos: ['MZCF000501'] }, { idempotencyKey: 'ORD-O1' })).rejects.toMatchObject({ code: 'NOT_OWNER' });
  });

  it('pre-settles bills with a split estimate that adds up', async () => {
    const ps = await preSettledBills(port, ZHANG, 'ORD-O2');
    expect(ps.totalFen).toBe(7850);
    expect(ps.items).toHaveLength(6);
    expect(ps.visit).toMatchObject({ medType: '11', diseases: [{ code: 'J06.900', name: '急性上呼吸道感染' }] });
    const e = ps.estimate!;
    expect(e.fundFen + e.acctFen + e.cashFen).toBe(ps.totalFen);
    expect(e.fundFen).toBeGreaterThan(0);
  });

  it('answers the same pre-settlement when asked again with the same order number', async () => {
    const first = await preSettledBills(port, ZHANG, 'ORD-O3');
    const again = await preSettledBills(port, ZHANG, 'ORD-O3');
    expect(again.preSettlementId).toBe(first.preSettlementId);
  });

  it('refuses to pre-settle bills another order has locked', async () => {
    await preSettledBills(port, ZHANG, 'ORD-O4');
    await expect(preSettledBills(port, ZHANG, 'ORD-O5')).rejects.toMatchObject({ name: 'HisRejectedError', code: 'OTHER' });
  });

  it('treats releasing an already released pre-settlement as done', async () => {
    const ps = await preSettledBills(port, ZHANG, 'ORD-O6');
    await port.releasePreSettlement({ preSettlementId: ps.preSettlementId }, { idempotencyKey: 'ORD-O6' });
    await expect(port.releasePreSettlement({ preSettlementId: ps.preSettlementId }, { idempotencyKey: 'ORD-O6' })).resolves.toBeUndefined();
    await expect(preSettledBills(port, ZHANG, 'ORD-O7')).resolves.toMatchObject({ totalFen: 7850 });
  });
});
