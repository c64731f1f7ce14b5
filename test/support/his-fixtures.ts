/**
 * Test-only helpers for the HIS adapter tests: an adapter pointed at an in-process sandbox HIS,
 * and the sandbox world's people as the BFF would present them. Never used by production code.
 */
import { HisConfig } from '../../bff/src/config/his';
import { TEST_CLIENT, type RunningHis } from '../../sandbox/his/testing';
import { createHttpHis } from '../../bff/src/his/http-adapter';
import type { HisPort, PatientIdentity, PreSettlement, SettlementRecord } from '../../bff/src/his/port';

export function adapterFor(his: Pick<RunningHis, 'url'>, over: Partial<HisConfig> = {}): HisPort {
  return createHttpHis(
    HisConfig.parse({
      baseUrl: his.url,
      clientId: TEST_CLIENT.clientId,
      clientSecret: TEST_CLIENT.secret,
      timeoutMs: 2000,
      retry: { attempts: 3, delayMs: 20 },
      ...over,
    }),
  );
}

export const ZHANG: PatientIdentity = { idNo: '440106196503122134', name: '张建国' };
export const HUANG: PatientIdentity = { idNo: '440111195504303777', name: '黄德明' };
export const ZHAO: PatientIdentity = { idNo: '440103199008074416', name: '赵丽华' };
export const LI: PatientIdentity = { idNo: '11010519491231002X', name: '李卫东' };
export const CHEN: PatientIdentity = { idNo: '440104197211051065', name: '陈志强' };

/** C8 + C10 for a patient insured in Guangzhou: their HIS id and psnNo. */
export async function insuredPatient(his: HisPort, patient: PatientIdentity, key = `REG-${patient.idNo}`) {
  const status = await his.insuranceStatus({ patient, regionCode: '440100' });
  if (!status.insured) throw new Error(`${patient.name} is not insured in 440100`);
  const benefit = status.benefits[0];
  const { hisPatientId } = await his.registerInsuredPatient({ patient, regionCode: '440100', psnNo: status.psnNo, benefit }, { idempotencyKey: key });
  return { hisPatientId, psnNo: status.psnNo, insutype: benefit.insutype };
}

/** Pre-settles all of a patient's unpaid bills under this order number. */
export async function preSettledBills(his: HisPort, patient: PatientIdentity, orderNo: string): Promise<PreSettlement> {
  const p = await insuredPatient(his, patient);
  const bills = await his.listUnpaidBills({ hisPatientId: p.hisPatientId });
  return his.preSettleOutpatient({ ...p, billNos: bills.map((b) => b.billNo) }, { idempotencyKey: orderNo });
}

/** The settlement the BFF writes back once the centre settled the pre-settlement as estimated. */
export function settlementOf(orderNo: string, ps: PreSettlement): SettlementRecord & { payOrdId: string } {
  const e = ps.estimate ?? { fundFen: 0, acctFen: 0, cashFen: ps.totalFen };
  return {
    orderNo,
    preSettlementId: ps.preSettlementId,
    payOrdId: `ORD4401${orderNo}`,
    amounts: { totalFen: ps.totalFen, ...e },
    traceTime: '2026-01-05 10:30:00',
    setlId: `SETL${orderNo}`,
    channel: 'wechat',
    cashTradeNo: e.cashFen > 0 ? `4200${orderNo}` : undefined,
  };
}
