/**
 * K1/K2 identity at a kiosk: the e-voucher QR is read through the e-voucher service (ec.query,
 * kiosk/e-voucher.ts) into the patient's identity and an ecToken; HIS then answers insurance status and benefits exactly as
 * in the mini-program flow (flows/insurance.ts), and the chosen benefit is written back to HIS.
 */
import { isValidIdNumber, maskIdNumber, maskName, normalizeIdNumber, type Benefit } from '@mip/shared';
// read directly until shared/src/contract/index.ts re-exports the kiosk contract
import type { KioskVisit } from '@mip/shared';
import type { Deps } from '../flows/deps';
import { listRegions } from '../flows/insurance';
import { registerChosenBenefit } from '../flows/benefit-registration';
import { HisRejectedError, HisUnclearError, type HisBenefit, type InsuranceStatus } from '../his/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import type { KioskConfig } from './config';
import { VoucherFormatError, VoucherRefusedError, type EVoucherReader as EVoucherClient, type VoucherIdentity } from './port';
import type { KioskVisitRecord, KioskVisitStore as KioskVisits, NewVisit } from './port';

export type KioskIdentityDeps = Pick<Deps, 'his' | 'now' | 'pii'>;

const VOUCHER_REFUSED = '医保电子凭证二维码已失效或已使用过。请在手机上打开医保电子凭证，刷新二维码后重新扫码。';
const VOUCHER_UNREADABLE = '暂时无法读取医保电子凭证，请稍后再试，或到人工收费窗口办理。';
const HELP_DESK = '请到人工收费窗口咨询办理。';
/** the hospital system's own words (and codes) stay in the log (the error's cause), never on the kiosk screen */
const HOSPITAL_REFUSED = `医院系统暂时不能办理您的医保登记，这次没有扣款。${HELP_DESK}`;

function toBenefit(b: HisBenefit): Benefit {
  return { code: b.code, name: b.name, insutype: b.insutype, insutypeName: b.insutypeName, description: b.description };
}

export function visitView(visits: KioskVisits, v: KioskVisitRecord): KioskVisit {
  return {
    visitId: v.visitId,
    expiresAt: visits.expiresAt(v),
    patient: { nameMasked: v.nameMasked, idNoMasked: v.idNoMasked },
    region: { code: v.regionCode, name: v.regionName },
    insured: v.insured,
    benefits: v.benefits.map(toBenefit),
    ...(v.chosen ? { benefit: toBenefit(v.chosen) } : {}),
    ...(v.notice ? { notice: v.notice } : {}),
  };
}

async function decode(voucher: EVoucherClient, qrCode: string, deviceId: string): Promise<VoucherIdentity> {
  try {
    return await voucher.query(qrCode, deviceId);
  } catch (err) {
    // The e-voucher service's refusal codes for an expired / used / unknown QR are not public [I]: every refusal reads the same.
    if (err instanceof VoucherRefusedError) throw new DomainError('AUTHORIZATION_FAILED', VOUCHER_REFUSED, { centreCode: err.code });
    if (err instanceof VoucherFormatError || err instanceof PeerError) throw new DomainError('PEER_UNAVAILABLE', VOUCHER_UNREADABLE);
    throw err;
  }
}

async function hisStatus(deps: KioskIdentityDeps, patient: { idNo: string; name: string }, regionCode: string): Promise<InsuranceStatus> {
  try {
    return await deps.his.insuranceStatus({ patient, regionCode });
  } catch (err) {
    if (err instanceof HisRejectedError) throw new DomainError('PEER_REJECTED', HOSPITAL_REFUSED, undefined, err);
    if (err instanceof HisUnclearError || err instanceof PeerError) throw new DomainError('PEER_UNAVAILABLE');
    throw err;
  }
}

/** POST /api/kiosk/visits: read the voucher, open (or renew) the device's visit. */
export async function identify(
  deps: KioskIdentityDeps,
  kc: KioskConfig,
  voucher: EVoucherClient,
  visits: KioskVisits,
  deviceId: string,
  body: { qrCode: string; visitId?: string },
): Promise<KioskVisit> {
  const v = await decode(voucher, body.qrCode, deviceId);
  const idNo = normalizeIdNumber(v.idNo);
  // [I] idType 01 is the resident ID card; other document types are passed on as the centre wrote them.
  if (v.idType === '01' && !isValidIdNumber(idNo)) throw new DomainError('AUTHORIZATION_FAILED', `医保电子凭证中的证件信息无法识别。${HELP_DESK}`);
  const name = v.userName.trim();
  const idHash = deps.pii.lookupHash(idNo);
  const ecTokenExpiresAt = new Date(deps.now().getTime() + kc.ecTokenTtlSeconds * 1000).toISOString();

  if (body.visitId) {
    const old = await visits.find(deviceId, body.visitId);
    if (old && old.idHash === idHash) {
      // The same patient showed a fresh voucher: the visit goes on with a new ecToken.
      const renewed = { ...old, ecToken: v.ecToken, ecTokenExpiresAt };
      await visits.save(renewed);
      return visitView(visits, renewed);
    }
    if (old) await visits.end(old); // someone else stands at the kiosk now
  }

  const base = {
    identitySealed: deps.pii.seal({ idNo, name }),
    nameMasked: maskName(name),
    idNoMasked: maskIdNumber(idNo),
    idHash,
    ecToken: v.ecToken,
    ecTokenExpiresAt,
  };
  const region = (await listRegions(deps)).find((r) => r.code === v.insuplcAdmdvs);
  if (!region) {
    const notice = `本院自助机暂不支持您参保地（区划 ${v.insuplcAdmdvs}）的医保结算，不能使用医保支付。${HELP_DESK}`;
    const rec = await visits.open(deviceId, { ...base, regionCode: v.insuplcAdmdvs, regionName: v.insuplcAdmdvs, insured: false, benefits: [], notice });
    return visitView(visits, rec);
  }
  const status = await hisStatus(deps, { idNo, name }, region.code);
  let fresh: NewVisit;
  if (status.insured) {
    fresh = { ...base, regionCode: region.code, regionName: region.name, insured: true, psnNo: status.psnNo, benefits: status.benefits };
  } else {
    const notice =
      status.reason === 'suspended'
        ? `您在${region.name}的医保目前处于暂停状态，暂时不能使用医保支付。${HELP_DESK}`
        : `没有查到您在${region.name}的医保参保信息，暂时不能使用医保支付。${HELP_DESK}`;
    fresh = { ...base, regionCode: region.code, regionName: region.name, insured: false, benefits: [], notice };
  }
  return visitView(visits, await visits.open(deviceId, fresh));
}

/** POST /api/kiosk/visits/:visitId/benefit: C9/C10 for the visit's patient. */
export async function chooseBenefit(deps: KioskIdentityDeps, visits: KioskVisits, visit: KioskVisitRecord, benefitCode: string) {
  if (!visit.insured || !visit.psnNo) throw new DomainError('NOT_INSURED', visit.notice ?? `没有查到您的医保参保信息。${HELP_DESK}`);
  const { psnNo } = visit;
  const key = `kiosk:${visit.idHash}:${visit.regionCode}:${benefitCode}`;
  const { benefit, hisPatientId } = await registerChosenBenefit(deps, { ...visit, psnNo }, benefitCode, key, HOSPITAL_REFUSED);
  await visits.save({ ...visit, chosen: benefit, hisPatientId });
  return { registered: true as const, benefit: toBenefit(benefit), region: { code: visit.regionCode, name: visit.regionName } };
}
