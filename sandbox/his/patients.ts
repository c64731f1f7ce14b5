/**
 * C7/C8/C10 in the sandbox HIS: supported regions, insurance status by ID + region (answered
 * from sandbox/seed/persons.ts, as the real HIS asks the insurance platform), and making a
 * patient an insured patient.
 */
import { personByIdNo, SUPPORTED_REGIONS, type SandboxInsurance, type SandboxPerson } from '../seed/persons';
import { benefitsOf, type SeedBenefit } from '../seed/his-patients';
import { CODES, refuse } from './protocol';
import type { HisWorld, PatientRec } from './world';

export interface PatientRef {
  index_type: 'id_no' | 'outpatient_no' | 'card_no';
  index_value: string;
  id_no: string;
  name: string;
}

const REGION_NAMES: Record<string, string> = { ...Object.fromEntries(SUPPORTED_REGIONS.map((r) => [r.code, r.name])), '110100': '北京市' };

export const regions = () => SUPPORTED_REGIONS.map((r) => ({ admdvs: r.code, admdvs_name: r.name }));

function assertSupported(regionCode: string): void {
  if (!SUPPORTED_REGIONS.some((r) => r.code === regionCode)) throw refuse(CODES.REGION_NOT_SUPPORTED, `本院暂不支持参保地 ${regionCode} 的医保结算`);
}

/** The HIS patient the index names; undefined when an ID number is not on file yet. */
export function resolvePatient(world: HisWorld, ref: PatientRef): PatientRec | undefined {
  const id = ref.id_no.trim().toUpperCase();
  const all = [...world.patients.values()];
  const found =
    ref.index_type === 'id_no'
      ? all.find((p) => p.idNo === ref.index_value.trim().toUpperCase())
      : ref.index_type === 'outpatient_no'
        ? all.find((p) => p.outpatientNo === ref.index_value)
        : all.find((p) => p.cardNo === ref.index_value);
  if (!found) {
    if (ref.index_type === 'id_no') return undefined;
    throw refuse(CODES.NOT_FOUND, ref.index_type === 'outpatient_no' ? '未找到该门诊号对应的患者' : '未找到该就诊卡号对应的患者');
  }
  if (found.idNo !== id || found.name !== ref.name) throw refuse(CODES.PATIENT_MISMATCH, '患者姓名、证件号码与院内档案不一致');
  return found;
}

function personChecked(ref: PatientRef): SandboxPerson | undefined {
  const person = personByIdNo(ref.id_no);
  if (person && person.name !== ref.name) throw refuse(CODES.PATIENT_MISMATCH, '姓名与证件号码不符');
  return person;
}

export function insuranceStatus(world: HisWorld, ref: PatientRef, regionCode: string) {
  assertSupported(regionCode);
  resolvePatient(world, ref);
  const person = personChecked(ref);
  const ins = person?.insurance.find((i) => i.regionCode === regionCode);
  if (!person || !ins) {
    const elsewhere = person?.insurance.find((i) => i.status === 'insured');
    if (elsewhere) {
      const where = REGION_NAMES[elsewhere.regionCode] ?? elsewhere.regionCode;
      return { insu_stas: '9', stas_desc: `该人员参保地为${where}，不在所选参保地参保` };
    }
    return { insu_stas: '0', stas_desc: '未查询到该人员在所选参保地的参保信息' };
  }
  if (ins.status === 'not_enrolled') return { insu_stas: '0', stas_desc: '该人员未在所选参保地参加基本医疗保险' };
  if (ins.status === 'suspended') return { insu_stas: '2', stas_desc: '该人员医保待遇已暂停（停保），请联系参保地医保经办机构' };
  return {
    insu_stas: '1',
    psn_no: ins.psnNo,
    insuplc_admdvs: ins.regionCode,
    benefits: benefitsOf(person, ins).map((b) => ({
      benefit_code: b.code,
      benefit_name: b.name,
      insutype: b.insutype,
      insutype_name: b.insutypeName,
      description: b.description,
      psn_type: b.psnType,
    })),
  };
}

export function registerInsured(
  world: HisWorld,
  body: { patient: PatientRef; region_code: string; psn_no: string; benefit: { benefit_code: string; insutype: string } },
) {
  assertSupported(body.region_code);
  const person = personChecked(body.patient);
  const ins = person?.insurance.find((i) => i.regionCode === body.region_code && i.status === 'insured');
  if (!person || !ins || ins.psnNo !== body.psn_no) throw refuse(CODES.INSURANCE_MISMATCH, '人员编号与参保信息不符');
  const benefit = benefitsOf(person, ins).find((b) => b.code === body.benefit.benefit_code && b.insutype === body.benefit.insutype);
  if (!benefit) throw refuse(CODES.INSURANCE_MISMATCH, '所选医保待遇与参保信息不符');
  let patient = resolvePatient(world, body.patient);
  if (!patient) {
    const n = world.patients.size + 1;
    patient = {
      patientId: `P${100_000 + n}`,
      idNo: person.idNo,
      name: person.name,
      outpatientNo: `MZ${20_190_000 + n}`,
      cardNo: `8860${1_000_000 + n}`,
    };
    world.patients.set(patient.patientId, patient);
  }
  patient.insured = { regionCode: ins.regionCode, psnNo: ins.psnNo, insutype: benefit.insutype, benefitCode: benefit.code };
  return { patient_id: patient.patientId, outpatient_no: patient.outpatientNo, card_no: patient.cardNo };
}

/**
 * 自费: a patient HIS knows by ID number, or a new one, without any insurance on file (INFERRED,
 * his/routes.ts /api/patients/self-pay). The name must match the ID number as at the window.
 */
export function registerSelfPay(world: HisWorld, body: { patient: PatientRef }) {
  const person = personChecked(body.patient);
  let patient = resolvePatient(world, body.patient);
  if (!patient) {
    const n = world.patients.size + 1;
    const id = body.patient.id_no.trim().toUpperCase();
    patient = { patientId: `P${100_000 + n}`, idNo: id, name: person?.name ?? body.patient.name, outpatientNo: `MZ${20_190_000 + n}`, cardNo: `8860${1_000_000 + n}` };
    world.patients.set(patient.patientId, patient);
  }
  return { patient_id: patient.patientId, outpatient_no: patient.outpatientNo, card_no: patient.cardNo };
}

/**
 * The insurance a pre-settlement is made under: psn_no and insutype must be the patient's, and
 * the benefit is the one chosen at C10 (or the plain one of that insutype).
 */
export function insuranceOf(
  patient: PatientRec,
  psnNo: string,
  insutype: string,
): { ins: SandboxInsurance; benefit: SeedBenefit; plain: SeedBenefit } {
  const person = personByIdNo(patient.idNo);
  const ins = person?.insurance.find((i) => i.psnNo === psnNo && i.status === 'insured');
  if (!person || !ins || !(ins.insutypes ?? []).includes(insutype)) throw refuse(CODES.INSURANCE_MISMATCH, '人员编号或险种与参保信息不符');
  const benefits = benefitsOf(person, ins).filter((b) => b.insutype === insutype);
  const chosen = patient.insured?.psnNo === psnNo ? benefits.find((b) => b.code === patient.insured?.benefitCode) : undefined;
  const plain = benefits.find((b) => !b.code.includes('-14-'));
  const benefit = chosen ?? plain;
  if (!benefit || !plain) throw refuse(CODES.INSURANCE_MISMATCH, '该险种无可用的门诊待遇');
  return { ins, benefit, plain };
}
