/**
 * 就诊人管理: a patient's family members, booked and paid for by the account holder. A relative's
 * insurance is used only through the e-voucher's family-pay authorization (亲情付): the voucher
 * holder pays, the relative is the patient (wechatpay-skills 开发参数与业务规则 §五; 接入质量检查
 * #17 relative information, #18 payer = the voucher's bound card). Names and ID numbers are sealed
 * at rest and leave the BFF masked only.
 */
import crypto from 'node:crypto';
import { FAMILY_RELATION_LABELS, isValidIdNumber, maskIdNumber, maskName, normalizeIdNumber, type FamilyRelation } from '@mip/shared';
import type { Order } from '../domain/order';
import { HisUnclearError } from '../his/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import type { FamilyMember, HeldAuthorization, PatientSession } from '../sessions/port';
import type { Deps } from './deps';
import { listRegions } from './insurance';
import { assertIdempotencyKey, buildOrder, type BuildOrderDeps, type CreateOrderBody } from './order-draft';

export type FamilyDeps = BuildOrderDeps & Pick<Deps, 'family' | 'his' | 'log' | 'now' | 'orders' | 'pii' | 'profiles'>;

/** Inferred (no public rule): hospital mini-programs commonly allow five 就诊人 besides oneself. */
export const MAX_FAMILY_MEMBERS = 5;

export interface FamilyMemberView {
  memberId: string;
  relation: FamilyRelation;
  relationLabel: string;
  nameMasked: string;
  idNoMasked: string;
  region: { code: string; name: string };
  insured: boolean;
  benefitName?: string;
}

export function toMemberView(m: FamilyMember): FamilyMemberView {
  return {
    memberId: m.memberId,
    relation: m.relation as FamilyRelation,
    relationLabel: FAMILY_RELATION_LABELS[m.relation as FamilyRelation] ?? '家人',
    nameMasked: m.nameMasked,
    idNoMasked: m.idNoMasked,
    region: { code: m.regionCode, name: m.regionName },
    insured: m.insured,
    ...(m.benefitName ? { benefitName: m.benefitName } : {}),
  };
}

export async function listFamily(deps: FamilyDeps, s: PatientSession): Promise<{ members: FamilyMemberView[]; max: number }> {
  return { members: (await deps.family.list(s.ownerKey)).map(toMemberView), max: MAX_FAMILY_MEMBERS };
}

export interface AddFamilyBody {
  name: string;
  idNo: string;
  relation: FamilyRelation;
  regionCode: string;
}

/**
 * Checks the ID number (GB 11643 check digit), refuses the holder themself, a duplicate and a sixth
 * member before asking HIS; an insured relative is registered in HIS with their benefit so that
 * HIS can pre-settle for them. The store re-checks duplicate and limit atomically.
 */
export async function addFamilyMember(deps: FamilyDeps, s: PatientSession, body: AddFamilyBody): Promise<FamilyMemberView> {
  const profile = await deps.profiles.get(s.ownerKey);
  if (!profile) throw new DomainError('IDENTITY_REQUIRED', '请先完成本人的医保身份核验，再添加家人');
  const idNo = normalizeIdNumber(body.idNo);
  if (!isValidIdNumber(idNo)) throw new DomainError('INVALID_ID_NUMBER');
  const name = body.name.trim();
  const idHash = deps.pii.lookupHash(idNo);
  if (deps.pii.lookupHash(deps.pii.open(profile.identitySealed).idNo) === idHash) {
    throw new DomainError('FAMILY_DUPLICATE', '这是您本人的身份证号，不用添加为家人');
  }
  if (await deps.family.hasIdHash(s.ownerKey, idHash)) throw new DomainError('FAMILY_DUPLICATE');
  if ((await deps.family.count(s.ownerKey)) >= MAX_FAMILY_MEMBERS) throw new DomainError('FAMILY_LIMIT');
  const region = (await listRegions(deps)).find((r) => r.code === body.regionCode);
  if (!region) throw new DomainError('UNKNOWN_REGION');

  let member: FamilyMember = {
    memberId: `fm${crypto.randomBytes(9).toString('base64url')}`,
    relation: body.relation,
    identitySealed: deps.pii.seal({ idNo, name }),
    nameMasked: maskName(name),
    idNoMasked: maskIdNumber(idNo),
    idHash,
    regionCode: region.code,
    regionName: region.name,
    insured: false,
    createdAt: deps.now().toISOString(),
  };
  try {
    const status = await deps.his.insuranceStatus({ patient: { idNo, name }, regionCode: region.code });
    const benefit = status.insured ? status.benefits[0] : undefined;
    if (status.insured && benefit) {
      // the relative's first benefit (a relative with several may be changed at the window: inferred)
      const { hisPatientId } = await deps.his.registerInsuredPatient(
        { patient: { idNo, name }, regionCode: region.code, psnNo: status.psnNo, benefit },
        { idempotencyKey: `${s.ownerKey}:family:${idHash}:${region.code}:${benefit.code}` },
      );
      member = { ...member, insured: true, psnNo: status.psnNo, insutype: benefit.insutype, benefitName: benefit.name, hisPatientId };
    }
  } catch (err) {
    if (err instanceof HisUnclearError || err instanceof PeerError) throw new DomainError('PEER_UNAVAILABLE', '暂时查不到家人的医保信息，没有添加。请稍后重试');
    throw err;
  }

  const outcome = await deps.family.add(s.ownerKey, member, MAX_FAMILY_MEMBERS);
  if (outcome === 'duplicate') throw new DomainError('FAMILY_DUPLICATE');
  if (outcome === 'limit') throw new DomainError('FAMILY_LIMIT');
  deps.log.info({ memberId: member.memberId, relation: member.relation, idNoMasked: member.idNoMasked }, 'family member added');
  return toMemberView(member);
}

export async function removeFamilyMember(deps: FamilyDeps, s: PatientSession, memberId: string): Promise<void> {
  const removed = await deps.family.remove(s.ownerKey, memberId);
  if (!removed) throw new DomainError('FAMILY_MEMBER_NOT_FOUND');
  deps.log.info({ memberId }, 'family member removed');
}

/** The account holder's own member record, or the same refusal as a missing one (never probes). */
export async function ownMember(deps: FamilyDeps, s: PatientSession, memberId: string): Promise<FamilyMember> {
  const m = await deps.family.get(s.ownerKey, memberId);
  if (!m) throw new DomainError('FAMILY_MEMBER_NOT_FOUND');
  return m;
}

/**
 * The HIS patient whose bills the holder asks for: a member of their own (another patient's
 * memberId is refused like a missing one) — registered in HIS when added as insured, else as a
 * self-pay (自费) patient now, as the holder is (flows/self-pay.ts hisPatientIdFor).
 */
export async function memberHisPatientId(deps: FamilyDeps, s: PatientSession, memberId: string): Promise<string> {
  return hisIdOf(deps, s, await ownMember(deps, s, memberId));
}

/** The member's HIS record: the insured one, or a self-pay record (idempotent at HIS by ID number, INFERRED). */
async function hisIdOf(deps: FamilyDeps, s: PatientSession, m: FamilyMember): Promise<string> {
  if (m.hisPatientId) return m.hisPatientId;
  try {
    const r = await deps.his.registerSelfPayPatient({ patient: deps.pii.open(m.identitySealed) }, { idempotencyKey: `${s.ownerKey}:${m.memberId}:self` });
    return r.hisPatientId;
  } catch (err) {
    if (err instanceof HisUnclearError || err instanceof PeerError) throw new DomainError('PEER_UNAVAILABLE');
    throw err;
  }
}

const notInsured = (m: FamilyMember) => `没有查到${m.nameMasked}在${m.regionName}的医保参保信息，不能用医保支付。请选择自费，或到医院收费窗口办理`;

/** An order for a family member: HIS pre-settles under the relative's own HIS patient and insurance. */
export async function createOrderForMember(deps: FamilyDeps, s: PatientSession, body: CreateOrderBody & { memberId: string }, idempotencyKey: string): Promise<Order> {
  assertIdempotencyKey(idempotencyKey);
  const m = await ownMember(deps, s, body.memberId);
  const familyMember = { memberId: m.memberId, relation: m.relation };
  const addToOwner = (order: Order, now: Date) => deps.orders.addToOwner(s.ownerKey, order.orderNo, now.getTime());
  if (body.payMode === 'self') {
    // 自费 for a relative (issue 12 point 4: "self-pay otherwise"): the channel alone, no insurance, no authorization
    const owner = { ownerKey: s.ownerKey, idempotencyScope: s.ownerKey, channel: s.channel, openId: s.openId, by: 'patient' as const, identitySealed: m.identitySealed, hisPatientId: await hisIdOf(deps, s, m), regionCode: m.regionCode, psnNo: '', insutype: '', payMode: 'self' as const, familyMember };
    return buildOrder(deps, owner, body, idempotencyKey, addToOwner);
  }
  if (!m.insured || !m.hisPatientId || !m.psnNo || !m.insutype) {
    throw new DomainError('FAMILY_PAY_REQUIRED', notInsured(m));
  }
  return buildOrder(
    deps,
    {
      ownerKey: s.ownerKey,
      idempotencyScope: s.ownerKey,
      channel: s.channel,
      openId: s.openId,
      by: 'patient',
      identitySealed: m.identitySealed,
      hisPatientId: m.hisPatientId,
      regionCode: m.regionCode,
      psnNo: m.psnNo,
      insutype: m.insutype,
      familyMember,
    },
    body,
    idempotencyKey,
    addToOwner,
  );
}

/**
 * Before an authorization is spent on an order: a relative's order needs a family-pay
 * authorization (亲情付, 开发参数与业务规则 §五), one's own order an authorization of one's own
 * (接入质量检查 #18: the payer is the voucher's holder). Answers the refusal, or undefined.
 */
export function authorizationMisfit(order: Pick<Order, 'familyMember'>, auth: Pick<HeldAuthorization, 'payer'>): DomainError | undefined {
  const familyPay = auth.payer?.familyPay === true;
  if (order.familyMember && !familyPay) return new DomainError('FAMILY_PAY_REQUIRED');
  if (!order.familyMember && familyPay) return new DomainError('AUTHORIZATION_REQUIRED', '这是为家人开通的亲情付授权，为本人支付请用本人的医保电子凭证重新授权');
  return undefined;
}
