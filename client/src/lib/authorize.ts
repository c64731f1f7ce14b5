/**
 * The e-voucher authorization (C11), the same for every platform: get an authCode from the
 * platform, hand it to the BFF; when the BFF answers `redirect` (Alipay: voucher not authorized or
 * not activated yet) open that page and try again when the patient is back.
 */
import { platform, type AuthCodeResult } from '../platform';
import { call, getConfig } from './api';
import { setProgress } from './progress';

export type AuthorizeResult = { status: 'authorized'; until: number } | { status: 'cancelled'; message?: string };

const MAX_ROUNDS = 3;

export async function submitAuthCode(first: AuthCodeResult): Promise<AuthorizeResult> {
  let got: AuthCodeResult = first;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if ('cancelled' in got) return { status: 'cancelled', message: got.message };
    const res = await call('authorizeInsurance', { body: { authCode: got.authCode } });
    if (res.status === 'authorized') {
      const until = Date.now() + Math.max(0, res.expiresInSeconds) * 1000;
      setProgress({ authorizedUntil: until });
      return { status: 'authorized', until };
    }
    await platform.openAuthUrl(res.authUrl);
    got = await platform.getInsuranceAuthCode(await getConfig());
  }
  return { status: 'cancelled', message: '医保电子凭证还没有完成授权，请重试' };
}

/** familyPay: for a family member's order (亲情付) */
export async function authorizeInsurance(opts?: { familyPay?: boolean }): Promise<AuthorizeResult> {
  const config = await getConfig();
  return submitAuthCode(await platform.getInsuranceAuthCode(config, opts));
}
