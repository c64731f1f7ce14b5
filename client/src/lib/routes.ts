/**
 * The patient endpoints' method, path and auth, copied from shared/src/contract/patient.ts so the
 * bundle does not carry zod. test/routes.test.ts checks that this table and the contract agree.
 */
import type { patientApi } from '@mip/shared/src/contract/patient';
import type { familyApi } from '@mip/shared/src/contract/family';

/** the patient endpoints and the family-member ones (shared/src/contract/family.ts) */
export type EndpointName = keyof typeof patientApi | keyof typeof familyApi;
export interface Route {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: 'none' | 'patient';
}

export const ROUTES: Record<EndpointName, Route> = {
  login: { id: 'session.login', method: 'POST', path: '/api/session', auth: 'none' },
  clientConfig: { id: 'config.get', method: 'GET', path: '/api/config', auth: 'none' },
  listRegions: { id: 'insurance.regions', method: 'GET', path: '/api/regions', auth: 'patient' },
  insuranceStatus: { id: 'insurance.status', method: 'POST', path: '/api/insurance/status', auth: 'patient' },
  chooseBenefit: { id: 'insurance.chooseBenefit', method: 'POST', path: '/api/insurance/benefit', auth: 'patient' },
  authorizeInsurance: { id: 'insurance.authorize', method: 'POST', path: '/api/insurance/authorization', auth: 'patient' },
  insuranceProfile: { id: 'insurance.profile', method: 'GET', path: '/api/insurance/profile', auth: 'patient' },
  departments: { id: 'registration.departments', method: 'GET', path: '/api/registration/departments', auth: 'patient' },
  doctors: { id: 'registration.doctors', method: 'GET', path: '/api/registration/departments/:deptCode/doctors', auth: 'patient' },
  slots: { id: 'registration.slots', method: 'GET', path: '/api/registration/doctors/:doctorCode/slots', auth: 'patient' },
  bills: { id: 'outpatient.bills', method: 'GET', path: '/api/outpatient/bills', auth: 'patient' },
  bill: { id: 'outpatient.bill', method: 'GET', path: '/api/outpatient/bills/:billNo', auth: 'patient' },
  createOrder: { id: 'orders.create', method: 'POST', path: '/api/orders', auth: 'patient' },
  payOrder: { id: 'orders.pay', method: 'POST', path: '/api/orders/:orderNo/pay', auth: 'patient' },
  getOrder: { id: 'orders.get', method: 'GET', path: '/api/orders/:orderNo', auth: 'patient' },
  listOrders: { id: 'orders.list', method: 'GET', path: '/api/orders', auth: 'patient' },
  cancelOrder: { id: 'orders.cancel', method: 'POST', path: '/api/orders/:orderNo/cancel', auth: 'patient' },
  listFamily: { id: 'family.list', method: 'GET', path: '/api/family', auth: 'patient' },
  addFamily: { id: 'family.add', method: 'POST', path: '/api/family', auth: 'patient' },
  removeFamily: { id: 'family.remove', method: 'DELETE', path: '/api/family/:memberId', auth: 'patient' },
  cancelRegistration: { id: 'orders.cancelRegistration', method: 'POST', path: '/api/orders/:orderNo/cancel-registration', auth: 'patient' },
};

/** Fills :name placeholders with URL-encoded values (same rule as the contract's buildPath). */
export function buildPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(v));
  });
}
