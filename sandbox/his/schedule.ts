/**
 * C14 in the sandbox HIS: departments, doctors and their half-day slots for today and the next
 * six days. Slots are computed from the catalogue on demand, so a long-running sandbox always
 * offers the coming week; only bookings and locks are state.
 */
import { DEPARTMENTS, DOCTORS, GRADES, departmentByCode, doctorByCode, halfDaysOf, type HalfDay, type SeedDoctor } from '../seed/his-catalog';
import { cnDays, cnInstant } from './clock';
import { CODES, refuse } from './protocol';
import type { HisWorld } from './world';

export const SCHEDULE_DAYS = 7;

export const departments = () => DEPARTMENTS.map((d) => ({ dept_code: d.code, dept_name: d.name, caty: d.caty, location: d.location }));

export function doctors(deptCode: string) {
  if (!departmentByCode(deptCode)) throw refuse(CODES.NOT_FOUND, '科室不存在');
  return DOCTORS.filter((d) => d.deptCode === deptCode).map((d) => ({
    doctor_code: d.code,
    doctor_name: d.name,
    title: d.title,
    dept_code: d.deptCode,
    specialty: d.specialty,
    status: d.available ? '1' : '0',
  }));
}

export interface SlotInfo {
  slotId: string;
  doctor: SeedDoctor;
  date: string;
  half: HalfDay;
  feeFen: number;
  remaining: number;
}

const slotIdOf = (doctorCode: string, date: string, period: string) => `${doctorCode}-${date.replaceAll('-', '')}-${period}`;

function slotInfo(world: HisWorld, doctor: SeedDoctor, date: string, half: HalfDay, now: number): SlotInfo {
  const grade = GRADES[doctor.title];
  const slotId = slotIdOf(doctor.code, date, half.period);
  const taken = (world.slotBookings.get(slotId) ?? 0) + world.activeLocksOnSlot(slotId);
  const over = cnInstant(date, half.end) <= now;
  return { slotId, doctor, date, half, feeFen: grade.feeFen, remaining: over ? 0 : Math.max(0, grade.capacity - taken) };
}

export function slots(world: HisWorld, doctorCode: string, now = Date.now()) {
  const doctor = doctorByCode(doctorCode);
  if (!doctor) throw refuse(CODES.NOT_FOUND, '医生不存在');
  world.expireLocks(now);
  return cnDays(now, SCHEDULE_DAYS).flatMap((date) =>
    halfDaysOf(doctor).map((half) => {
      const s = slotInfo(world, doctor, date, half, now);
      return {
        slot_id: s.slotId,
        doctor_code: doctor.code,
        dept_code: doctor.deptCode,
        date,
        period: half.period,
        start_time: half.start,
        end_time: half.end,
        fee_fen: s.feeFen,
        remaining: s.remaining,
      };
    }),
  );
}

/** The slot a slot id names, in the bookable week, with what is left of it. */
export function findSlot(world: HisWorld, slotId: string, now = Date.now()): SlotInfo {
  const m = /^(.+)-(\d{4})(\d{2})(\d{2})-(AM|PM)$/.exec(slotId);
  const doctor = m ? doctorByCode(m[1]) : undefined;
  if (!m || !doctor) throw refuse(CODES.NOT_FOUND, '号源不存在');
  const date = `${m[2]}-${m[3]}-${m[4]}`;
  const half = halfDaysOf(doctor).find((h) => h.period === m[5]);
  if (!half || !cnDays(now, SCHEDULE_DAYS).includes(date)) throw refuse(CODES.NOT_FOUND, '号源不存在或未放号');
  world.expireLocks(now);
  return slotInfo(world, doctor, date, half, now);
}
