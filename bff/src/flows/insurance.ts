/**
 * C7–C11: region, insurance status, benefit choice (written back to HIS) and the e-voucher pay
 * authorization. The identity the patient typed is checked, sealed into their profile and never
 * returned except masked.
 */
import { isValidIdNumber, maskIdNumber, maskName, normalizeIdNumber, type Benefit, type Region } from '@mip/shared';
import { ChannelRejectedError } from '../channels/port';
import type { HisBenefit } from '../his/port';
import { DomainError } from '../domain/errors';
import type { AuthorizationStatus, PatientProfile, PatientSession } from '../sessions/port';
import type { Deps } from './deps';
import { registerChosenBenefit } from './benefit-registration';

export type InsuranceDeps = Pick<Deps, 'channels' | 'his' | 'now' | 'pii' | 'profiles' | 'vault'>;

let regionCache: { at: number; regions: Region[] } | undefined;

export async function listRegions(deps: Pick<Deps, 'his' | 'now'>): Promise<Region[]> {
  const now = deps.now().getTime();
  if (regionCache && now - regionCache.at < 60_000) return regionCache.regions;
  const regions = (await deps.his.listRegions()).map((r) => ({ code: r.code, name: r.name }));
  regionCache = { at: now, regions };
  return regions;
}

function toBenefit(b: HisBenefit): Benefit {
  return { code: b.code, name: b.name, insutype: b.insutype, insutypeName: b.insutypeName, description: b.description };
}

export async function checkStatus(deps: InsuranceDeps, s: PatientSession, q: { regionCode: string; idNo: string; name: string }) {
  const idNo = normalizeIdNumber(q.idNo);
  if (!isValidIdNumber(idNo)) throw new DomainError('INVALID_ID_NUMBER');
  const region = (await listRegions(deps)).find((r) => r.code === q.regionCode);
  if (!region) throw new DomainError('UNKNOWN_REGION');
  const name = q.name.trim();
  const status = await deps.his.insuranceStatus({ patient: { idNo, name }, regionCode: region.code });
  const profile: PatientProfile = {
    identitySealed: deps.pii.seal({ idNo, name }),
    nameMasked: maskName(name),
    idNoMasked: maskIdNumber(idNo),
    regionCode: region.code,
    regionName: region.name,
    insured: status.insured,
    benefits: status.insured ? status.benefits : [],
    updatedAt: deps.now().toISOString(),
  };
  if (status.insured) profile.psnNo = status.psnNo;
  await deps.profiles.put(s.ownerKey, profile);
  const base = { region, patient: { nameMasked: profile.nameMasked, idNoMasked: profile.idNoMasked } };
  if (!status.insured) {
    const notice =
      status.reason === 'suspended'
        ? `您在${region.name}的医保目前处于暂停参保状态，暂时不能使用医保支付。您可以选择其他参保地，或到医院收费窗口咨询。`
        : `没有查到您在${region.name}的医保参保信息。请确认参保地是否选对；如果您在其他地方参保，请选择对应的参保地，或到医院收费窗口咨询。`;
    return { insured: false, ...base, benefits: [], notice };
  }
  return { insured: true, ...base, benefits: status.benefits.map(toBenefit) };
}

export async function chooseBenefit(deps: InsuranceDeps, s: PatientSession, q: { benefitCode: string }) {
  const profile = await deps.profiles.get(s.ownerKey);
  if (!profile) throw new DomainError('IDENTITY_REQUIRED');
  if (!profile.insured || !profile.psnNo) throw new DomainError('NOT_INSURED');
  const { psnNo } = profile;
  const { benefit, hisPatientId } = await registerChosenBenefit(deps, { ...profile, psnNo }, q.benefitCode, `${s.ownerKey}:${profile.regionCode}:${q.benefitCode}`);
  await deps.profiles.put(s.ownerKey, { ...profile, chosen: benefit, hisPatientId, updatedAt: deps.now().toISOString() });
  return { registered: true as const, benefit: toBenefit(benefit), region: { code: profile.regionCode, name: profile.regionName } };
}

/**
 * The voucher's holder is the payer (wechatpay-skills 接入质量检查 #18; 排障手册 268545961/268545962):
 * name and ID both match the patient, unless the holder pays for a relative (亲情付, 开发参数与业务规则
 * §五), and then the holder's name and ID must be known. Answers the refusal to show, or undefined.
 */
export function voucherRefusal(payer: { name?: string; idNo?: string; familyPay: boolean } | undefined, patient: { name: string; idNo: string }): string | undefined {
  const payerId = payer?.idNo ? normalizeIdNumber(payer.idNo) : undefined;
  const differs = (payerId !== undefined && payerId !== normalizeIdNumber(patient.idNo)) || (payer?.name !== undefined && payer.name.trim() !== patient.name.trim());
  if (differs && !payer?.familyPay) return '医保电子凭证与就诊人身份不一致，请使用就诊人本人的电子凭证授权';
  if (payer?.familyPay && (!payer.name || !payerId)) return '亲情付授权缺少付款人信息，请重新授权';
  return undefined;
}

export async function authorize(deps: InsuranceDeps, s: PatientSession, q: { authCode: string }) {
  const profile = await deps.profiles.get(s.ownerKey);
  if (!profile?.hisPatientId) throw new DomainError('IDENTITY_REQUIRED');
  let result;
  try {
    result = await deps.channels[s.channel].authorizeInsurance({ openId: s.openId, authCode: q.authCode });
  } catch (err) {
    if (err instanceof ChannelRejectedError) throw new DomainError('AUTHORIZATION_FAILED');
    throw err;
  }
  if (result.status === 'redirect') return { status: 'redirect' as const, authUrl: result.authUrl };
  const identity = deps.pii.open(profile.identitySealed);
  const payer = result.payer;
  const refusal = voucherRefusal(payer, identity);
  if (refusal) throw new DomainError('AUTHORIZATION_FAILED', refusal);
  const payerId = payer?.idNo ? normalizeIdNumber(payer.idNo) : undefined;
  // 亲情付: the holder's identity is needed for the channel order's payer; sealed like every identity at rest
  const heldPayer = payer ? { familyPay: payer.familyPay, ...(payer.familyPay && payer.name && payerId ? { sealed: deps.pii.seal({ name: payer.name, idNo: payerId }) } : {}) } : undefined;
  const expiresInSeconds = await deps.vault.hold(
    s.ownerKey,
    {
      payAuthNo: result.payAuthNo,
      expiresAt: new Date(deps.now().getTime() + Math.max(1, result.expiresInSeconds) * 1000).toISOString(),
      ...(result.location ? { location: result.location } : {}),
      ...(heldPayer ? { payer: heldPayer } : {}),
      ...(result.medicalCardId ? { medicalCardId: result.medicalCardId } : {}),
    },
    result.expiresInSeconds,
  );
  return { status: 'authorized' as const, expiresInSeconds };
}

export async function profileView(deps: InsuranceDeps, s: PatientSession) {
  const p = await deps.profiles.get(s.ownerKey);
  if (!p) return { ready: false as const };
  const region = { code: p.regionCode, name: p.regionName };
  const patient = { nameMasked: p.nameMasked, idNoMasked: p.idNoMasked };
  const authorization = authorizationView(await deps.vault.status(s.ownerKey), deps.now());
  const authorized = authorization.state === 'active';
  if (p.insured && p.chosen && p.hisPatientId) {
    return { ready: true as const, region, patient, insured: true as const, benefit: toBenefit(p.chosen), authorized, authorization };
  }
  return { ready: false as const, region, patient, insured: p.insured, ...(p.chosen ? { benefit: toBenefit(p.chosen) } : {}), authorized, authorization };
}

/** The authorization as the patient sees it: state and the seconds it still lives (whole, never negative). */
export function authorizationView(st: AuthorizationStatus, now: Date) {
  if (st.state !== 'active') return st;
  return { ...st, remainingSeconds: Math.max(0, Math.floor((Date.parse(st.expiresAt) - now.getTime()) / 1000)) };
}
