/**
 * Unpaid outpatient bills (门诊待缴费处方/申请单) of the sandbox world, with fee lines coded the
 * way the national catalogues code them: western drugs by 23-character 医保药品编码 (X…),
 * Chinese patent medicine (Z…), herbal pieces (T…), medical services by 15-character
 * 医疗服务项目编码, laboratory tests by 9-digit codes (25…), consumables by 20-character C… codes.
 * chrgitm_lv: 01 甲类, 02 乙类, 03 丙类.
 */
export type ChargeLevel = '01' | '02' | '03';

export interface SeedFeeLine {
  code: string;
  medinsCode: string;
  name: string;
  spec?: string;
  unit: string;
  /** decimal text */
  qty: string;
  priceFen: number;
  level: ChargeLevel;
  /** drugs carry the prescription number */
  drug?: boolean;
}

export interface SeedBill {
  billNo: string;
  personKey: string;
  title: string;
  deptCode: string;
  doctorCode: string;
  medType: '11' | '14';
  diseases: { code: string; name: string }[];
  lines: SeedFeeLine[];
}

const AMOXICILLIN: SeedFeeLine = { code: 'XJ01CAA040A001010101445', medinsCode: 'YP010023', name: '阿莫西林胶囊', spec: '0.25g*24粒', unit: '盒', qty: '2', priceFen: 1260, level: '01', drug: true };
const IBUPROFEN: SeedFeeLine = { code: 'XM01AEB018E002010101231', medinsCode: 'YP020117', name: '布洛芬缓释胶囊', spec: '0.3g*20粒', unit: '盒', qty: '1', priceFen: 1580, level: '01', drug: true };
const LIQUORICE: SeedFeeLine = { code: 'XR05FAF036A001010100522', medinsCode: 'YP030045', name: '复方甘草片', spec: '100片', unit: '瓶', qty: '1', priceFen: 450, level: '02', drug: true };
const BLOOD_ROUTINE: SeedFeeLine = { code: '250101015', medinsCode: 'JY000015', name: '血细胞分析（血常规）', unit: '次', qty: '1', priceFen: 2000, level: '01' };
const URINE_ROUTINE: SeedFeeLine = { code: '250102001', medinsCode: 'JY000021', name: '尿液分析（尿常规）', unit: '次', qty: '1', priceFen: 1000, level: '01' };
const VENIPUNCTURE: SeedFeeLine = { code: '001203000010000', medinsCode: 'ZL000102', name: '静脉采血', unit: '次', qty: '1', priceFen: 300, level: '01' };
const METFORMIN: SeedFeeLine = { code: 'XA10BAD011A001010104027', medinsCode: 'YP040201', name: '盐酸二甲双胍片', spec: '0.5g*60片', unit: '盒', qty: '2', priceFen: 1980, level: '01', drug: true };
const HBA1C: SeedFeeLine = { code: '250302002', medinsCode: 'JY000302', name: '糖化血红蛋白测定', unit: '项', qty: '1', priceFen: 5000, level: '02' };
const GLUCOSE: SeedFeeLine = { code: '250302001', medinsCode: 'JY000301', name: '葡萄糖测定', unit: '项', qty: '1', priceFen: 600, level: '01' };
const DRESSING_CHANGE: SeedFeeLine = { code: '001311000010000', medinsCode: 'ZL001311', name: '换药（小）', unit: '次', qty: '1', priceFen: 1500, level: '01' };
const CEFACLOR: SeedFeeLine = { code: 'XJ01DCC031E001010100856', medinsCode: 'YP010311', name: '头孢克洛胶囊', spec: '0.25g*6粒', unit: '盒', qty: '1', priceFen: 2380, level: '02', drug: true };
const STERILE_DRESSING: SeedFeeLine = { code: 'C14010103001000000000', medinsCode: 'HC000087', name: '一次性使用无菌敷贴', spec: '10cm*12cm', unit: '片', qty: '2', priceFen: 850, level: '03' };
const GYN_ULTRASOUND: SeedFeeLine = { code: '220600004', medinsCode: 'JC000604', name: '妇科彩色多普勒超声检查', unit: '次', qty: '1', priceFen: 12000, level: '02' };
const AMLODIPINE: SeedFeeLine = { code: 'XC08CAA009A001010106612', medinsCode: 'YP050012', name: '苯磺酸氨氯地平片', spec: '5mg*28片', unit: '盒', qty: '1', priceFen: 2860, level: '01', drug: true };
const ATORVASTATIN: SeedFeeLine = { code: 'XC10AAA086A001030100976', medinsCode: 'YP050077', name: '阿托伐他汀钙片', spec: '20mg*7片', unit: '盒', qty: '2', priceFen: 3550, level: '02', drug: true };
const ECG: SeedFeeLine = { code: '310701001', medinsCode: 'JC000701', name: '常规心电图检查', unit: '次', qty: '1', priceFen: 2500, level: '01' };
const XIANGSHA: SeedFeeLine = { code: 'ZA04AAX0214010104213', medinsCode: 'ZY000214', name: '香砂六君丸', spec: '6g*10袋', unit: '盒', qty: '1', priceFen: 2250, level: '02', drug: true };
const ANGELICA: SeedFeeLine = { code: 'T000700326', medinsCode: 'ZYP00326', name: '当归（饮片）', unit: 'g', qty: '12.5', priceFen: 20, level: '02', drug: true };
const ASTRAGALUS: SeedFeeLine = { code: 'T000700643', medinsCode: 'ZYP00643', name: '黄芪（饮片）', unit: 'g', qty: '30', priceFen: 8, level: '02', drug: true };
const DECOCTION: SeedFeeLine = { code: '001405000010000', medinsCode: 'ZL001405', name: '中药代煎费', unit: '剂', qty: '3', priceFen: 300, level: '03' };
const LEVOFLOXACIN_EYE: SeedFeeLine = { code: 'XS01AEZ025L001010101923', medinsCode: 'YP060031', name: '左氧氟沙星滴眼液', spec: '5ml:24.4mg', unit: '支', qty: '1', priceFen: 1650, level: '01', drug: true };
const SLIT_LAMP: SeedFeeLine = { code: '001501000010000', medinsCode: 'JC001501', name: '裂隙灯检查', unit: '次', qty: '1', priceFen: 800, level: '01' };

export const BILLS: SeedBill[] = [
  { billNo: 'MZCF000101', personKey: 'zhang', title: '西药处方', deptCode: '0101', doctorCode: 'D1003', medType: '11',
    diseases: [{ code: 'J06.900', name: '急性上呼吸道感染' }], lines: [AMOXICILLIN, IBUPROFEN, LIQUORICE] },
  { billNo: 'MZCF000102', personKey: 'zhang', title: '检验申请单', deptCode: '0101', doctorCode: 'D1003', medType: '11',
    diseases: [{ code: 'J06.900', name: '急性上呼吸道感染' }], lines: [BLOOD_ROUTINE, VENIPUNCTURE, URINE_ROUTINE] },
  { billNo: 'MZCF000201', personKey: 'wang', title: '糖尿病复诊', deptCode: '0101', doctorCode: 'D1002', medType: '14',
    diseases: [{ code: 'E11.900', name: '2型糖尿病' }], lines: [METFORMIN, HBA1C, GLUCOSE, VENIPUNCTURE] },
  { billNo: 'MZCF000301', personKey: 'chen', title: '外科换药', deptCode: '0102', doctorCode: 'D1102', medType: '11',
    diseases: [{ code: 'T14.100', name: '开放性伤口' }], lines: [DRESSING_CHANGE, CEFACLOR, STERILE_DRESSING] },
  { billNo: 'MZCF000401', personKey: 'liu', title: '检查申请单', deptCode: '0104', doctorCode: 'D1302', medType: '11',
    diseases: [{ code: 'Z34.900', name: '正常妊娠监督' }], lines: [GYN_ULTRASOUND, URINE_ROUTINE] },
  { billNo: 'MZCF000501', personKey: 'huang', title: '高血压复诊', deptCode: '0101', doctorCode: 'D1001', medType: '14',
    diseases: [{ code: 'I10.x00', name: '高血压' }], lines: [AMLODIPINE, ATORVASTATIN, ECG] },
  { billNo: 'MZCF000502', personKey: 'huang', title: '中药处方', deptCode: '0107', doctorCode: 'D1601', medType: '11',
    diseases: [{ code: 'K30.x00', name: '功能性消化不良' }], lines: [XIANGSHA, ANGELICA, ASTRAGALUS, DECOCTION] },
  { billNo: 'MZCF000601', personKey: 'zhou', title: '眼科处方', deptCode: '0105', doctorCode: 'D1401', medType: '11',
    diseases: [{ code: 'H10.900', name: '结膜炎' }], lines: [LEVOFLOXACIN_EYE, SLIT_LAMP] },
  // 赵丽华 is not insured: her bill is paid 自费 (self-pay path)
  { billNo: 'MZCF000701', personKey: 'zhao', title: '西药处方', deptCode: '0101', doctorCode: 'D1003', medType: '11',
    diseases: [{ code: 'J06.900', name: '急性上呼吸道感染' }], lines: [IBUPROFEN, LIQUORICE] },
];

/** price x decimal quantity, exactly (the seed only uses quantities that give whole fen). */
export function lineAmountFen(line: Pick<SeedFeeLine, 'qty' | 'priceFen'>): number {
  const [whole, frac = ''] = line.qty.split('.');
  const scale = 10 ** frac.length;
  const units = Number(whole) * scale + Number(frac || '0');
  const amount = (line.priceFen * units) / scale;
  if (!Number.isInteger(amount)) throw new Error(`seed line ${line.qty} x ${line.priceFen} is not whole fen`);
  return amount;
}
