import type Router from '@koa/router';
import { familyApi as api } from '@mip/shared';
import type { Deps } from '../../flows/deps';
import { addFamilyMember, listFamily, removeFamilyMember } from '../../flows/family';
import { bind, type RouteOptions } from '../route';
import { patientSession } from './patient';

/** 就诊人管理 (shared/src/contract/family.ts) bound to flows/family.ts. */
export function familyRoutes(router: Router, deps: Deps, opts: RouteOptions): void {
  bind(router, api.listFamily, opts, async ({ principal }) => listFamily(deps, patientSession(principal)));
  bind(router, api.addFamily, opts, async ({ principal, body }) => ({ member: await addFamilyMember(deps, patientSession(principal), body) }));
  bind(router, api.removeFamily, opts, async ({ principal, params }) => {
    await removeFamilyMember(deps, patientSession(principal), params.memberId);
    return { removed: true as const };
  });
}
