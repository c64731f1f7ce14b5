/**
 * The sandbox HIS open API (/api/...). Order of checks for every call: signature (auth.ts),
 * input (1xx), then the fault book, then the operation. Mutating calls need Idempotency-Key.
 */
import type Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import type { FaultBook } from '../common/faults';
import { jsonBody } from './auth';
import type { HisSandboxConfig } from './config';
import { refund, reverse, tradeCheck, writeBack } from './ledger';
import { insuranceStatus, registerInsured, registerSelfPay, regions } from './patients';
import { perform } from './perform';
import { preSettleOutpatient, preSettleRegistration, releasePreSettlement } from './presettle';
import { CODES, HisFailure, parseInput, refuse } from './protocol';
import type { MessagePusher } from './push';
import { assertOneRegistration, cancelRegistration } from './registration';
import { departments, doctors, slots } from './schedule';
import type { BillRec, HisWorld } from './world';

export interface HisDeps {
  world: HisWorld;
  faults: FaultBook;
  config: HisSandboxConfig;
  pusher: MessagePusher;
}

/** A bill as the unpaid list shows it (the bill itself adds fee_list). */
const billSummary = (b: BillRec) => ({
  bill_no: b.billNo,
  bill_title: b.title,
  dept_name: b.deptName,
  doctor_name: b.doctorName,
  created_at: b.createdAt,
  total_fen: b.totalFen,
  item_count: b.items.length,
});

const str = z.string().trim().min(1).max(64);
const fen = z.int().nonnegative();
const PatientRef = z.object({
  index_type: z.enum(['id_no', 'outpatient_no', 'card_no']),
  index_value: str,
  id_no: z.string().regex(/^\d{17}[\dXx]$/),
  name: z.string().trim().min(1).max(50),
});
// oth_fee_fen / hosp_part_fen: the centre's other-fund and hospital-borne parts (6202 othFeeAmt / hospPartAmt)
const Amounts = { total_fen: fen, fund_fen: fen, acct_fen: fen, cash_fen: fen, oth_fee_fen: fen.optional(), hosp_part_fen: fen.optional() };
const Insurance = { patient_id: str, insutype: z.enum(['310', '390']), psn_no: str };

const StatusIn = z.object({ patient: PatientRef, region_code: z.string().regex(/^\d{6}$/) });
const RegisterIn = StatusIn.extend({ psn_no: str, benefit: z.object({ benefit_code: str, insutype: str, psn_type: str.optional() }) });
/**
 * 自费 (pay_mode "self") pre-settles without psn_no/insutype; the estimate is all cash. INFERRED:
 * no public HIS interface is available to copy; HIS products price 自费 visits without insurance.
 */
const SelfPay = { patient_id: str, pay_mode: z.literal('self') };
const modeOf = <T extends z.ZodRawShape>(extra: T) => z.union([z.object({ ...Insurance, ...extra, pay_mode: z.literal('insurance').optional() }), z.object({ ...SelfPay, ...extra })]);
const RegPreSettleIn = modeOf({ slot_id: str });
const OutPreSettleIn = modeOf({ bill_nos: z.array(str).min(1).max(20) });
const SelfPayPatientIn = z.object({ patient: PatientRef });
const WriteBackIn = z.object({
  order_no: str,
  pre_settlement_id: str,
  // absent only for a self-pay (自费) pre-settlement (ledger.ts checks which)
  pay_ord_id: str.optional(),
  ...Amounts,
  trace_time: str,
  setl_id: str.optional(),
  mdtrt_id: str.optional(),
  channel: z.enum(['wechat', 'alipay', 'kiosk']),
  cash_trade_no: str.optional(),
});
const ReversalIn = z.object({ pay_ord_id: str, revs_token: z.string().max(256).optional(), ...Amounts });
const RefundIn = z.object({ order_no: str, refund_no: str, ...Amounts });
const CancelIn = z.object({ order_no: str, refund_no: str, reason: z.string().max(100).optional() });
const TradeCheckIn = z.object({ trade_no: str, business: z.enum(['settlement', 'reversal', 'refund']), refund_no: str.optional() });

function idempotencyKey(ctx: Koa.Context): string {
  const key = ctx.get('idempotency-key').trim();
  if (!key || key.length > 64) throw new HisFailure(CODES.PARAM, '参数错误：缺少 Idempotency-Key 请求头');
  return key;
}

const query = (ctx: Koa.Context, name: string): string => parseInput(z.object({ [name]: str }), ctx.query)[name];

/** The centre's side of a HIS reversal (sandbox/national/app.ts /sandbox/internal/reverse). */
async function reverseAtCentre(centreUrl: string, payOrdId: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${centreUrl}/sandbox/internal/reverse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payOrdId }),
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    throw new HisFailure(CODES.UNKNOWN, '医保中心冲正无应答，请稍后重试', 500);
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; code?: string; message?: string };
  if (!body.ok) throw refuse(CODES.BUSINESS, `医保中心冲正失败: ${body.code ?? res.status} ${body.message ?? ''}`.trim());
}

export function registerApiRoutes(router: Router, d: HisDeps): void {
  const { world, faults, config } = d;
  const run = (ctx: Koa.Context, op: string, key: string | undefined, act: () => unknown) => perform(ctx, faults, op, key, act);

  router.get('/api/regions', (ctx) => run(ctx, 'regions', undefined, regions));

  router.post('/api/insurance/status', (ctx) => {
    const b = parseInput(StatusIn, jsonBody(ctx));
    return run(ctx, 'status', b.patient.id_no, () => insuranceStatus(world, b.patient, b.region_code));
  });

  router.post('/api/patients/insured', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(RegisterIn, jsonBody(ctx));
    return run(ctx, 'registerPatient', key, () => registerInsured(world, b));
  });

  router.post('/api/patients/self-pay', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(SelfPayPatientIn, jsonBody(ctx));
    return run(ctx, 'registerPatient', key, () => registerSelfPay(world, b));
  });

  router.get('/api/registration/departments', (ctx) => run(ctx, 'departments', undefined, departments));

  router.get('/api/registration/doctors', (ctx) => {
    const dept = query(ctx, 'dept_code');
    return run(ctx, 'doctors', dept, () => doctors(dept));
  });

  router.get('/api/registration/slots', (ctx) => {
    const doctor = query(ctx, 'doctor_code');
    return run(ctx, 'slots', doctor, () => slots(world, doctor));
  });

  router.post('/api/registration/pre-settle', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(RegPreSettleIn, jsonBody(ctx));
    return run(ctx, 'preSettleRegistration', key, () => {
      if (config.oneRegistrationPerSession) assertOneRegistration(world, b.patient_id, b.slot_id, key);
      return preSettleRegistration(world, config.preSettlementTtlMs, b, key);
    });
  });

  router.get('/api/outpatient/unpaid', (ctx) => {
    const patientId = query(ctx, 'patient_id');
    return run(ctx, 'bills', patientId, () => {
      if (!world.patients.has(patientId)) throw refuse(CODES.NOT_FOUND, '患者不存在');
      return [...world.bills.values()]
        .filter((b) => b.patientId === patientId && !b.paidBy)
        .map(billSummary);
    });
  });

  router.get('/api/outpatient/bills/:billNo', (ctx) => {
    const patientId = query(ctx, 'patient_id');
    const billNo = ctx.params.billNo ?? '';
    return run(ctx, 'bill', billNo, () => {
      const b = world.bills.get(billNo);
      if (!b) throw refuse(CODES.NOT_FOUND, '处方/申请单不存在');
      if (b.patientId !== patientId) throw refuse(CODES.NOT_OWNER, '该处方/申请单不属于当前患者');
      return { ...billSummary(b), fee_list: b.items };
    });
  });

  router.post('/api/outpatient/pre-settle', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(OutPreSettleIn, jsonBody(ctx));
    return run(ctx, 'preSettleOutpatient', key, () => preSettleOutpatient(world, config.preSettlementTtlMs, b, key));
  });

  router.post('/api/pre-settlements/:id/release', (ctx) => {
    const key = idempotencyKey(ctx);
    const id = ctx.params.id ?? '';
    return run(ctx, 'release', key, () => releasePreSettlement(world, id));
  });

  router.post('/api/settlements', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(WriteBackIn, jsonBody(ctx));
    return run(ctx, 'writeBack', key, () => {
      const r = writeBack(world, b, { idempotent: config.idempotentWriteBack });
      if (r.booked) d.pusher.settled(r.booked);
      return r.data;
    });
  });

  router.post('/api/settlements/:orderNo/reversal', (ctx) => {
    const key = idempotencyKey(ctx);
    const orderNo = ctx.params.orderNo ?? '';
    const b = parseInput(ReversalIn, jsonBody(ctx));
    return run(ctx, 'reverse', key, async () => {
      // a new reversal is done at the centre first, as a real HIS does it; a repeat is answered from the ledger
      if (config.supportsReversal && config.centreUrl && !world.reversals.some((r) => r.orderNo === orderNo) && world.settlementsOf(orderNo).length === 0) {
        await reverseAtCentre(config.centreUrl, b.pay_ord_id);
      }
      return reverse(world, orderNo, b, { supported: config.supportsReversal });
    });
  });

  router.post('/api/registration/cancel', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(CancelIn, jsonBody(ctx));
    return run(ctx, 'cancelRegistration', key, () => cancelRegistration(world, b, config.cancelCutoffMinutes));
  });

  router.post('/api/refunds', (ctx) => {
    const key = idempotencyKey(ctx);
    const b = parseInput(RefundIn, jsonBody(ctx));
    return run(ctx, 'refund', key, () => refund(world, b));
  });

  router.post('/api/trade-check', (ctx) => {
    const b = parseInput(TradeCheckIn, jsonBody(ctx));
    return run(ctx, 'tradeCheck', b.trade_no, () => tradeCheck(world, b));
  });
}
