import { z } from 'zod';
import { endpointGroup } from './define';
import { Region, RegionCode } from './schemas';

const patientEndpoint = endpointGroup('patient', 'patient');

/**
 * 就诊人管理: the family members a patient books and pays for. Names and ID numbers go in request
 * bodies only (never in a URL) and come back masked; a member is addressed by an opaque memberId.
 */

export const FAMILY_RELATIONS = ['spouse', 'parent', 'child', 'sibling', 'other'] as const;
export const FamilyRelation = z.enum(FAMILY_RELATIONS);
export type FamilyRelation = z.infer<typeof FamilyRelation>;
export const FAMILY_RELATION_LABELS: Record<FamilyRelation, string> = {
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  sibling: '兄弟姐妹',
  other: '其他亲属',
};

const MemberId = z.string().regex(/^fm[A-Za-z0-9_-]{8,24}$/);

export const FamilyMember = z.object({
  memberId: MemberId,
  relation: FamilyRelation,
  /** 配偶 / 父母 / 子女 / 兄弟姐妹 / 其他亲属 */
  relationLabel: z.string(),
  nameMasked: z.string(),
  idNoMasked: z.string(),
  region: Region,
  /** insured in that region: insurance is then used through the family-pay authorization (亲情付) */
  insured: z.boolean(),
  benefitName: z.string().optional(),
});
export type FamilyMember = z.infer<typeof FamilyMember>;

export const listFamily = patientEndpoint.get('family.list', '/api/family', {
  summary: "The patient's family members (masked) and how many may be added",
  response: z.object({ members: z.array(FamilyMember), max: z.number().int() }),
});

export const addFamily = patientEndpoint.post('family.add', '/api/family', {
  summary: 'Add a family member (name, ID number checked with its check digit, relation, insured region)',
  body: z.object({
    name: z.string().trim().min(1).max(30).regex(/^[\p{Script=Han}A-Za-z·. ]+$/u, '姓名只能包含汉字或字母'),
    idNo: z.string().trim().min(15).max(18),
    relation: FamilyRelation,
    regionCode: RegionCode,
  }),
  response: z.object({ member: FamilyMember }),
});

export const removeFamily = patientEndpoint.del('family.remove', '/api/family/:memberId', {
  summary: 'Remove a family member (their orders stay in 我的订单)',
  params: z.object({ memberId: MemberId }),
  response: z.object({ removed: z.literal(true) }),
});

export const familyApi = { listFamily, addFamily, removeFamily } as const;
