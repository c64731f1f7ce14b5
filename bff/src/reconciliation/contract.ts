/** The C3 contract types the reconciliation code uses. */
export {
  billsApi,
  MISMATCH_KINDS,
  type BillRecord,
  type ChannelTotals,
  type DayBill,
  type Difference,
  type Explained,
  type MismatchKind,
  type ReconciliationRun,
  type ReconciliationSummary,
} from '@mip/shared';
