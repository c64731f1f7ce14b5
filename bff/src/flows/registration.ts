/** C14/K1: the registration directory (departments → doctors → slots) as the API shows it. */
import type { Deps } from './deps';

export async function departments(deps: Pick<Deps, 'his'>) {
  return {
    departments: (await deps.his.listDepartments()).map((d) => ({ code: d.code, name: d.name, ...(d.location ? { location: d.location } : {}) })),
  };
}

export async function doctors(deps: Pick<Deps, 'his'>, deptCode: string) {
  return {
    doctors: (await deps.his.listDoctors(deptCode)).map((d) => ({
      code: d.code,
      name: d.name,
      title: d.title,
      available: d.available,
      ...(d.specialty ? { specialty: d.specialty } : {}),
    })),
  };
}

export async function slots(deps: Pick<Deps, 'his'>, doctorCode: string) {
  return { slots: (await deps.his.listSlots(doctorCode)).map(({ doctorCode: _doctor, deptCode: _dept, ...s }) => s) };
}
