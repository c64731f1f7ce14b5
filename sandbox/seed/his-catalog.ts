/**
 * The sandbox hospital's outpatient catalogue: departments with their national 科别 (caty)
 * codes, doctors with titles, and the registration grade (号别) each title gets.
 */
export interface SeedDepartment {
  code: string;
  name: string;
  /** national department code (科别) */
  caty: string;
  location: string;
}

export type DoctorTitle = '主任医师' | '副主任医师' | '主治医师';

export interface SeedDoctor {
  code: string;
  name: string;
  title: DoctorTitle;
  deptCode: string;
  specialty: string;
  /** false: 停诊 this week (listed, no slots) */
  available: boolean;
}

export const DEPARTMENTS: SeedDepartment[] = [
  { code: '0101', name: '内科', caty: 'A03', location: '门诊楼2楼A区' },
  { code: '0102', name: '外科', caty: 'A04', location: '门诊楼3楼B区' },
  { code: '0103', name: '儿科', caty: 'A07', location: '门诊楼1楼C区' },
  { code: '0104', name: '妇产科', caty: 'A05', location: '门诊楼4楼A区' },
  { code: '0105', name: '眼科', caty: 'A10', location: '门诊楼5楼A区' },
  { code: '0106', name: '口腔科', caty: 'A12', location: '门诊楼5楼B区' },
  { code: '0107', name: '中医科', caty: 'A50', location: '中医楼1楼' },
  { code: '0108', name: '耳鼻咽喉科', caty: 'A11', location: '门诊楼5楼C区' },
  { code: '0109', name: '皮肤科', caty: 'A13', location: '门诊楼3楼C区' },
];

export const DOCTORS: SeedDoctor[] = [
  { code: 'D1001', name: '林国华', title: '主任医师', deptCode: '0101', specialty: '高血压、冠心病', available: true },
  { code: 'D1002', name: '郑晓燕', title: '副主任医师', deptCode: '0101', specialty: '糖尿病及内分泌代谢病', available: true },
  { code: 'D1003', name: '何俊', title: '主治医师', deptCode: '0101', specialty: '呼吸道感染、慢性咳嗽', available: true },
  { code: 'D1101', name: '梁永康', title: '主任医师', deptCode: '0102', specialty: '甲状腺及乳腺外科', available: true },
  { code: 'D1102', name: '吴海涛', title: '主治医师', deptCode: '0102', specialty: '普通外科、清创换药', available: true },
  { code: 'D1201', name: '苏慧敏', title: '副主任医师', deptCode: '0103', specialty: '小儿呼吸、小儿消化', available: true },
  { code: 'D1202', name: '罗嘉怡', title: '主治医师', deptCode: '0103', specialty: '儿童保健、发热门诊', available: true },
  { code: 'D1301', name: '陈淑仪', title: '主任医师', deptCode: '0104', specialty: '高危妊娠、妇科肿瘤', available: true },
  { code: 'D1302', name: '黄佩玲', title: '主治医师', deptCode: '0104', specialty: '产前检查', available: true },
  { code: 'D1401', name: '许明哲', title: '副主任医师', deptCode: '0105', specialty: '白内障、青光眼', available: true },
  { code: 'D1402', name: '曾丽', title: '主治医师', deptCode: '0105', specialty: '屈光不正、干眼症', available: false },
  { code: 'D1501', name: '邓志远', title: '副主任医师', deptCode: '0106', specialty: '牙体牙髓、口腔修复', available: true },
  { code: 'D1601', name: '欧阳德', title: '主任医师', deptCode: '0107', specialty: '脾胃病、失眠调理', available: true },
  { code: 'D1602', name: '冯雅琴', title: '主治医师', deptCode: '0107', specialty: '针灸推拿', available: true },
  { code: 'D1701', name: '卢建峰', title: '副主任医师', deptCode: '0108', specialty: '鼻炎、咽喉炎', available: true },
  { code: 'D1801', name: '叶小红', title: '主治医师', deptCode: '0109', specialty: '湿疹、痤疮', available: true },
];

export interface RegistrationGrade {
  name: string;
  feeFen: number;
  /** slots per half-day */
  capacity: number;
  /** 诊察费 service code (医疗服务项目编码) for this grade */
  serviceCode: string;
  serviceName: string;
  medinsCode: string;
}

/** 号别 by title. The registration fee is 挂号费 (1.00) + 诊察费 (the rest). */
export const GRADES: Record<DoctorTitle, RegistrationGrade> = {
  主治医师: { name: '普通号', feeFen: 1000, capacity: 30, serviceCode: '001101000010000', serviceName: '普通门诊诊察费', medinsCode: 'ZC0001' },
  副主任医师: { name: '专家号', feeFen: 3000, capacity: 15, serviceCode: '001101000020000', serviceName: '副主任医师门诊诊察费', medinsCode: 'ZC0002' },
  主任医师: { name: '知名专家', feeFen: 6000, capacity: 8, serviceCode: '001101000030000', serviceName: '主任医师门诊诊察费', medinsCode: 'ZC0003' },
};

/** 挂号费: not covered by insurance here (丙类) */
export const REGISTRATION_FEE = { code: '001102000010000', medinsCode: 'GH0001', name: '挂号费', feeFen: 100 };

export interface HalfDay {
  period: 'AM' | 'PM';
  start: string;
  end: string;
}

export const HALF_DAYS: HalfDay[] = [
  { period: 'AM', start: '08:00', end: '12:00' },
  { period: 'PM', start: '14:00', end: '17:30' },
];

/** 主任医师 see patients in the morning only; everyone else both half-days, every day. */
export function halfDaysOf(d: SeedDoctor): HalfDay[] {
  if (!d.available) return [];
  return d.title === '主任医师' ? HALF_DAYS.filter((h) => h.period === 'AM') : HALF_DAYS;
}

export const departmentByCode = (code: string) => DEPARTMENTS.find((d) => d.code === code);
export const doctorByCode = (code: string) => DOCTORS.find((d) => d.code === code);
