/**
 * Everything the sandbox HIS knows, in memory: patients, unpaid bills, slot bookings,
 * pre-settlements (locks) and the settlement ledger. `reset()` restores the seed.
 */
import { BILLS, lineAmountFen, type SeedBill } from '../seed/his-bills';
import { doctorByCode, departmentByCode } from '../seed/his-catalog';
import { HIS_PATIENTS } from '../seed/his-patients';
import { cnCompactDate, cnDateTime } from './clock';

/** Fee line in the wire spelling (HIS stores what it answers). */
export interface FeeItemRec {
  feedetl_sn: string;
  med_list_codg: string;
  medins_list_codg: string;
  item_name: string;
  spec?: string;
  unit?: string;
  cnt: string;
  pric_fen: number;
  amount_fen: number;
  chrgitm_lv: '01' | '02' | '03';
  rxno?: string;
  drord_no?: string;
  bilg_dept_codg: string;
  bilg_dept_name: string;
  bilg_dr_codg: string;
  bilg_dr_name: string;
  fee_ocur_time: string;
}

export interface PatientRec {
  patientId: string;
  idNo: string;
  name: string;
  outpatientNo: string;
  cardNo: string;
  /** set by C10 (POST /api/patients/insured) */
  insured?: { regionCode: string; psnNo: string; insutype: string; benefitCode: string };
}

export interface BillRec {
  billNo: string;
  patientId: string;
  title: string;
  deptCode: string;
  deptName: string;
  caty: string;
  doctorCode: string;
  doctorName: string;
  visitNo: string;
  medType: string;
  diseases: { code: string; name: string }[];
  createdAt: string;
  items: FeeItemRec[];
  totalFen: number;
  /** receipt number of the settlement that paid it */
  paidBy?: string;
}

export interface PreSettlementRec {
  id: string;
  /** the Idempotency-Key it was made with (the hospital order number) */
  key: string;
  kind: 'registration' | 'outpatient';
  patientId: string;
  /** '' for a self-pay (自费) pre-settlement */
  psnNo: string;
  insutype: string;
  payMode?: 'self';
  slotId?: string;
  billNos: string[];
  totalFen: number;
  /** the data answered to the caller, answered again on an idempotent repeat */
  answer: unknown;
  expiresAt: number;
  status: 'active' | 'released' | 'expired' | 'settled';
}

export interface Amounts {
  totalFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
}

export interface SettlementRec extends Amounts {
  receiptNo: string;
  orderNo: string;
  preSettlementId: string;
  kind: 'registration' | 'outpatient';
  patientId: string;
  /** '' for a self-pay (自费) settlement: it never reached the centre */
  payOrdId: string;
  channel: string;
  traceTime: string;
  setlId?: string;
  mdtrtId?: string;
  cashTradeNo?: string;
  bookedAt: string;
  /** true when the order already had a settlement: a double booking */
  duplicate: boolean;
  refundedFen: number;
  /** 退号: when the registration was cancelled (sandbox/his/registration.ts) */
  cancelledAt?: string;
}

export interface ReversalRec extends Amounts {
  reversalNo: string;
  orderNo: string;
  payOrdId: string;
  revsToken?: string;
  reversedAt: string;
}

export interface RefundRec extends Amounts {
  refundReceiptNo: string;
  orderNo: string;
  refundNo: string;
  settlementReceiptNo: string;
  refundedAt: string;
}

export class HisWorld {
  patients = new Map<string, PatientRec>();
  bills = new Map<string, BillRec>();
  preSettlements = new Map<string, PreSettlementRec>();
  /** settled registrations per slot id */
  slotBookings = new Map<string, number>();
  settlements: SettlementRec[] = [];
  reversals: ReversalRec[] = [];
  refunds: RefundRec[] = [];
  private seq = 0;
  private billSeq = 0;

  constructor(now = Date.now()) {
    this.reset(now);
  }

  reset(now = Date.now()): void {
    this.patients.clear();
    this.bills.clear();
    this.preSettlements.clear();
    this.slotBookings.clear();
    this.settlements = [];
    this.reversals = [];
    this.refunds = [];
    this.seq = 0;
    this.billSeq = 0;
    for (const p of HIS_PATIENTS) {
      this.patients.set(p.patientId, { patientId: p.patientId, idNo: p.idNo, name: p.name, outpatientNo: p.outpatientNo, cardNo: p.cardNo });
    }
    BILLS.forEach((b, i) => {
      const patient = HIS_PATIENTS.find((p) => p.personKey === b.personKey);
      if (!patient) throw new Error(`seed bill ${b.billNo} refers to unknown data`);
      this.putBill(b, patient.patientId, cnDateTime(now - (BILLS.length - i) * 23 * 60_000), `MZ${cnCompactDate(now)}${String(i + 1).padStart(4, '0')}`);
    });
  }

  private putBill(b: SeedBill, patientId: string, createdAt: string, visitNo: string): BillRec {
    const dept = departmentByCode(b.deptCode);
    const doctor = doctorByCode(b.doctorCode);
    if (!dept || !doctor) throw new Error(`bill ${b.billNo} refers to unknown data`);
    const items = b.lines.map(
      (l, n): FeeItemRec => ({
        feedetl_sn: `${b.billNo}${String(n + 1).padStart(3, '0')}`,
        med_list_codg: l.code,
        medins_list_codg: l.medinsCode,
        item_name: l.name,
        ...(l.spec ? { spec: l.spec } : {}),
        unit: l.unit,
        cnt: l.qty,
        pric_fen: l.priceFen,
        amount_fen: lineAmountFen(l),
        chrgitm_lv: l.level,
        ...(l.drug ? { rxno: b.billNo } : {}),
        drord_no: `YZ${b.billNo.slice(4)}${String(n + 1).padStart(2, '0')}`,
        bilg_dept_codg: dept.code,
        bilg_dept_name: dept.name,
        bilg_dr_codg: doctor.code,
        bilg_dr_name: doctor.name,
        fee_ocur_time: createdAt,
      }),
    );
    const rec: BillRec = {
      billNo: b.billNo,
      patientId,
      title: b.title,
      deptCode: dept.code,
      deptName: dept.name,
      caty: dept.caty,
      doctorCode: doctor.code,
      doctorName: doctor.name,
      visitNo,
      medType: b.medType,
      diseases: b.diseases,
      createdAt,
      items,
      totalFen: items.reduce((t, it) => t + it.amount_fen, 0),
    };
    this.bills.set(b.billNo, rec);
    return rec;
  }

  /**
   * Test control (POST /sandbox/bills): a new unpaid bill for a patient HIS knows, with the fee
   * lines of seed bill `template` — so load and fault runs can pay outpatient fees for the crowd.
   */
  addBill(personKey: string, template = 0, now = Date.now()): BillRec {
    const patient = HIS_PATIENTS.find((p) => p.personKey === personKey);
    if (!patient) throw new Error(`no HIS patient for ${personKey}`);
    const seed = BILLS[((template % BILLS.length) + BILLS.length) % BILLS.length];
    this.billSeq += 1;
    const billNo = `MZCX${String(this.billSeq).padStart(8, '0')}`;
    return this.putBill({ ...seed, billNo, personKey }, patient.patientId, cnDateTime(now), `MZ${cnCompactDate(now)}X${String(this.billSeq).padStart(6, '0')}`);
  }

  /** HIS-style serial numbers: prefix + date + sequence */
  nextNo(prefix: string, now = Date.now()): string {
    this.seq += 1;
    return `${prefix}${cnCompactDate(now)}${String(this.seq).padStart(6, '0')}`;
  }

  /** Locks past their time are released when anyone looks. */
  expireLocks(now = Date.now()): void {
    for (const ps of this.preSettlements.values()) if (ps.status === 'active' && ps.expiresAt <= now) ps.status = 'expired';
  }

  activeLocksOnSlot(slotId: string): number {
    let n = 0;
    for (const ps of this.preSettlements.values()) if (ps.status === 'active' && ps.slotId === slotId) n++;
    return n;
  }

  /** the active pre-settlement holding this bill, if any */
  billLock(billNo: string): PreSettlementRec | undefined {
    for (const ps of this.preSettlements.values()) if (ps.status === 'active' && ps.billNos.includes(billNo)) return ps;
    return undefined;
  }

  settlementsOf(orderNo: string): SettlementRec[] {
    return this.settlements.filter((s) => s.orderNo === orderNo);
  }
}
