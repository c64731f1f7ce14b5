/**
 * C9/C10, shared by the mini-programs (flows/insurance.ts) and the kiosk (kiosk/identity.ts): the
 * person is registered in HIS as insured under one of the benefits the centre listed for them.
 */
import type { HisBenefit } from '../his/port';
import { HisRejectedError, HisUnclearError } from '../his/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';
import type { Deps } from './deps';

export interface InsuredPerson {
  identitySealed: string;
  regionCode: string;
  psnNo: string;
  benefits: HisBenefit[];
}

/**
 * Answers the chosen benefit and HIS's patient id. `hisRefusal`: the words a HIS refusal is shown
 * with (the kiosk's); without it the refusal goes up as it is.
 */
export async function registerChosenBenefit(
  deps: Pick<Deps, 'his' | 'pii'>,
  person: InsuredPerson,
  benefitCode: string,
  idempotencyKey: string,
  hisRefusal?: string,
): Promise<{ benefit: HisBenefit; hisPatientId: string }> {
  const benefit = person.benefits.find((b) => b.code === benefitCode);
  if (!benefit) throw new DomainError('UNKNOWN_BENEFIT');
  const identity = deps.pii.open(person.identitySealed);
  try {
    const { hisPatientId } = await deps.his.registerInsuredPatient({ patient: identity, regionCode: person.regionCode, psnNo: person.psnNo, benefit }, { idempotencyKey });
    return { benefit, hisPatientId };
  } catch (err) {
    if (hisRefusal && err instanceof HisRejectedError) throw new DomainError('PEER_REJECTED', hisRefusal, undefined, err);
    if (err instanceof HisUnclearError || err instanceof PeerError) throw new DomainError('PEER_UNAVAILABLE');
    throw err;
  }
}
