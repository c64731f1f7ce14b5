/**
 * What the hospital charges for, as an order keeps it: the fee lines 6201 uploads and HIS's
 * pre-settlement. Plain data; the HIS port (bff/src/his/port.ts) answers in these types.
 */
import type { Fen } from '@mip/shared';

/** One fee line as the 6201 feedetailList needs it. */
export interface FeeItem {
  feedetlSn: string; // 费用明细流水号
  medListCodg: string; // 医保目录编码
  medinsListCodg: string; // 院内目录编码
  name: string;
  spec?: string;
  unit?: string;
  /** decimal text, e.g. "2" or "0.5" */
  quantity: string;
  unitPriceFen: Fen;
  /** the unit price as HIS has it, decimal yuan up to 6 places (national pric 16,6), when it says */
  unitPrice?: string;
  amountFen: Fen;
  /** 甲类 / 乙类 / 丙类 / 自费 */
  category: string;
  rxno?: string;
  drordNo?: string;
  bilgDeptCodg: string;
  bilgDeptName: string;
  bilgDrCodg: string;
  bilgDrName: string;
  feeOcurTime: string; // yyyy-MM-dd HH:mm:ss
}

/** What HIS answers when it pre-settles a registration or a set of bills. */
export interface PreSettlement {
  preSettlementId: string;
  totalFen: Fen;
  /** HIS's own estimate of the split, shown until the centre (6202) fixes it */
  estimate?: { fundFen: Fen; acctFen: Fen; cashFen: Fen };
  items: FeeItem[];
  visit: {
    iptOtpNo: string; // 门诊号
    mdtrtId?: string; // 就诊ID when HIS already registered the visit with insurance
    deptCode: string;
    deptName: string;
    caty: string;
    drCode: string;
    drName: string;
    medType: string; // 11 普通门诊, 12 门诊挂号 …
    begntime: string; // yyyy-MM-dd HH:mm:ss
    diseases: { code: string; name: string }[];
  };
  /** HIS releases the lock (slot, bills) after this */
  expiresAt: string;
}
