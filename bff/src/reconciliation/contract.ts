/**
 * The C3 contract, in one place for the BFF. Until shared/src/contract/index.ts exports it,
 * it is read from its file; afterwards this can become `export … from '@mip/shared'`.
 */
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
} from '@mip/shared/src/contract/bills';
