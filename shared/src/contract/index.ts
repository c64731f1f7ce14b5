export * from './define';
export * from './schemas';
export * as patient from './patient';
export { patientApi } from './patient';
export * as his from './his';
export { hisApi } from './his';
export * as bills from './bills';
export { billsApi, MISMATCH_KINDS, type BillRecord, type ChannelTotals, type DayBill, type Difference, type Explained, type MismatchKind, type ReconciliationRun, type ReconciliationSummary } from './bills';
