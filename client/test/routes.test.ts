import { patientApi as patientOnly } from '@mip/shared/src/contract/patient';
import { familyApi } from '@mip/shared/src/contract/family';
import { ROUTES, buildPath } from '../src/lib/routes';
import { buildPath as contractBuildPath } from '@mip/shared/src/contract/define';

const patientApi = { ...patientOnly, ...familyApi };

describe('the client route table', () => {
  test('lists exactly the patient and family-member endpoints of the contract', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(patientApi).sort());
  });

  test.each(Object.keys(patientApi))('agrees with the contract on id, method, path and auth of %s', (name) => {
    const e = patientApi[name as keyof typeof patientApi];
    expect(ROUTES[name as keyof typeof ROUTES]).toEqual({ id: e.id, method: e.method, path: e.path, auth: e.auth });
  });

  test('fills path parameters the way the contract does', () => {
    const params = { orderNo: 'A B/1' };
    expect(buildPath('/api/orders/:orderNo/pay', params)).toBe(contractBuildPath('/api/orders/:orderNo/pay', params));
  });
});
