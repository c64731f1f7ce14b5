/**
 * Pre-settlement (预结算) in the sandbox HIS: it prices a registration slot or a set of unpaid
 * bills, locks them for `preSettlementTtlMs`, and answers the fee lines 6201 needs plus HIS's
 * split estimate. A repeat with the same Idempotency-Key answers the same pre-settlement.
 */
import { departmentByCode, GRADES, REGISTRATION_FEE } from '../seed/his-catalog';
import { cnDateTime } from './clock';
import { estimateSplit } from './estimate';
import { insuranceOf } from './patients';
import { CODES, refuse } from './protocol';
import { findSlot } from './schedule';
import type { FeeItemRec, HisWorld, PatientRec, PreSettlementRec } from './world';

type Common = { patient_id: string } & ({ insutype: string; psn_no: string; pay_mode?: 'insurance' } | { pay_mode: 'self'; insutype?: undefined; psn_no?: undefined });

/**
 * The insurance the visit is priced under, or none for 自费 (pay_mode "self": fund 0, no account,
 * so the estimate is all cash — INFERRED, routes.ts).
 */
function pricing(patient: PatientRec, input: Common, chronicWanted: (code: string) => boolean) {
  if (input.pay_mode === 'self') return { mode: { psnNo: '', insutype: '', payMode: 'self' as const }, fundPerMille: 0, plainPerMille: 0, acctBalanceFen: 0, chronic: false };
  const { ins, benefit, plain } = insuranceOf(patient, input.psn_no, input.insutype);
  const chronic = chronicWanted(benefit.code);
  return { mode: { psnNo: input.psn_no, insutype: input.insutype }, fundPerMille: chronic ? benefit.fundPerMille : plain.fundPerMille, plainPerMille: plain.fundPerMille, acctBalanceFen: ins.acctBalanceFen ?? 0, chronic };
}

function patientOf(world: HisWorld, id: string): PatientRec {
  const p = world.patients.get(id);
  if (!p) throw refuse(CODES.NOT_FOUND, '患者不存在');
  return p;
}

/** The earlier answer for this key, if it asked for the same thing and still holds. */
function repeated(world: HisWorld, key: string, same: (ps: PreSettlementRec) => boolean): PreSettlementRec | undefined {
  const ps = [...world.preSettlements.values()].find((p) => p.key === key && p.status !== 'released' && p.status !== 'expired');
  if (!ps) return undefined;
  if (!same(ps)) throw refuse(CODES.PARAM_VALUE, '该订单号已用于其他预结算');
  if (ps.status === 'settled') throw refuse(CODES.ALREADY_SETTLED, '该订单已结算');
  return ps;
}

function store(
  world: HisWorld,
  id: string,
  ttlMs: number,
  now: number,
  rec: Omit<PreSettlementRec, 'id' | 'answer' | 'expiresAt' | 'status' | 'totalFen'>,
  items: FeeItemRec[],
  fundPerMille: number,
  acctBalanceFen: number,
  visit: Record<string, unknown>,
): PreSettlementRec {
  const totalFen = items.reduce((t, i) => t + i.amount_fen, 0);
  const expiresAt = now + ttlMs;
  const answer = {
    pre_settlement_id: id,
    total_fen: totalFen,
    estimate: estimateSplit({ items, fundPerMille, insutype: rec.insutype, acctBalanceFen }),
    fee_list: items,
    visit,
    expire_time: new Date(expiresAt).toISOString(),
  };
  const ps: PreSettlementRec = { ...rec, id, totalFen, answer, expiresAt, status: 'active' };
  world.preSettlements.set(id, ps);
  return ps;
}

export function preSettleRegistration(world: HisWorld, ttlMs: number, input: Common & { slot_id: string }, key: string, now = Date.now()) {
  const patient = patientOf(world, input.patient_id);
  world.expireLocks(now);
  const again = repeated(world, key, (ps) => ps.kind === 'registration' && ps.slotId === input.slot_id && ps.patientId === patient.patientId);
  if (again) return again.answer;
  const price = pricing(patient, input, () => false);
  const slot = findSlot(world, input.slot_id, now);
  if (slot.remaining <= 0) throw refuse(CODES.SLOT_UNAVAILABLE, '该号源已约满或已停止挂号');
  const dept = departmentByCode(slot.doctor.deptCode);
  if (!dept) throw new Error(`doctor ${slot.doctor.code} has no department`);
  const grade = GRADES[slot.doctor.title];
  const at = cnDateTime(now);
  const id = world.nextNo('YJS', now);
  const line = (sn: number, code: string, medins: string, name: string, fen: number, lv: FeeItemRec['chrgitm_lv']): FeeItemRec => ({
    feedetl_sn: `${id}${String(sn).padStart(3, '0')}`,
    med_list_codg: code,
    medins_list_codg: medins,
    item_name: name,
    unit: '次',
    cnt: '1',
    pric_fen: fen,
    amount_fen: fen,
    chrgitm_lv: lv,
    bilg_dept_codg: dept.code,
    bilg_dept_name: dept.name,
    bilg_dr_codg: slot.doctor.code,
    bilg_dr_name: slot.doctor.name,
    fee_ocur_time: at,
  });
  const items = [
    line(1, REGISTRATION_FEE.code, REGISTRATION_FEE.medinsCode, REGISTRATION_FEE.name, REGISTRATION_FEE.feeFen, '03'),
    line(2, grade.serviceCode, grade.medinsCode, grade.serviceName, grade.feeFen - REGISTRATION_FEE.feeFen, '01'),
  ];
  const visit = {
    ipt_otp_no: world.nextNo('MZ', now),
    // the visit's insurance registration (就诊ID): TSX sends it in 6201 when there is no ecToken
    mdtrt_id: world.nextNo('MDT', now),
    dept_code: dept.code,
    dept_name: dept.name,
    caty: dept.caty,
    dr_code: slot.doctor.code,
    dr_name: slot.doctor.name,
    med_type: '12',
    begntime: `${slot.date} ${slot.half.start}:00`,
    diseases: [],
  };
  const rec = { key, kind: 'registration' as const, patientId: patient.patientId, ...price.mode, slotId: slot.slotId, billNos: [] };
  return store(world, id, ttlMs, now, rec, items, price.plainPerMille, price.acctBalanceFen, visit).answer;
}

export function preSettleOutpatient(world: HisWorld, ttlMs: number, input: Common & { bill_nos: string[] }, key: string, now = Date.now()) {
  const patient = patientOf(world, input.patient_id);
  world.expireLocks(now);
  const wanted = [...new Set(input.bill_nos)].sort();
  const again = repeated(world, key, (ps) => ps.kind === 'outpatient' && ps.patientId === patient.patientId && ps.billNos.join() === wanted.join());
  if (again) return again.answer;
  const bills = wanted.map((no) => {
    const b = world.bills.get(no);
    if (!b) throw refuse(CODES.NOT_FOUND, `处方/申请单 ${no} 不存在`);
    if (b.patientId !== patient.patientId) throw refuse(CODES.NOT_OWNER, `处方/申请单 ${no} 不属于该患者`);
    if (b.paidBy) throw refuse(CODES.BILL_UNAVAILABLE, `处方/申请单 ${no} 已缴费`);
    if (world.billLock(no)) throw refuse(CODES.BILL_UNAVAILABLE, `处方/申请单 ${no} 正在其他订单中支付`);
    return b;
  });
  const price = pricing(patient, input, (code) => code.includes('-14-') && bills.every((b) => b.medType === '14'));
  const first = bills[0];
  const chronic = price.chronic;
  const diseases = [...new Map(bills.flatMap((b) => b.diseases).map((d) => [d.code, d])).values()];
  const visit = {
    ipt_otp_no: first.visitNo,
    mdtrt_id: `MDT${first.visitNo}`,
    dept_code: first.deptCode,
    dept_name: first.deptName,
    caty: first.caty,
    dr_code: first.doctorCode,
    dr_name: first.doctorName,
    med_type: chronic ? '14' : '11',
    begntime: first.createdAt,
    diseases,
  };
  const rec = { key, kind: 'outpatient' as const, patientId: patient.patientId, ...price.mode, billNos: wanted };
  return store(world, world.nextNo('YJS', now), ttlMs, now, rec, bills.flatMap((b) => b.items), price.fundPerMille, price.acctBalanceFen, visit).answer;
}

export function releasePreSettlement(world: HisWorld, id: string, now = Date.now()) {
  world.expireLocks(now);
  const ps = world.preSettlements.get(id);
  if (!ps || ps.status === 'released' || ps.status === 'expired') throw refuse(CODES.PRESETTLEMENT_GONE, '预结算不存在或已释放');
  if (ps.status === 'settled') throw refuse(CODES.ALREADY_SETTLED, '该预结算已结算，不能解锁');
  ps.status = 'released';
  return { pre_settlement_id: ps.id, status: 'released' };
}
