import type { Config } from '../../config';
import { kioskConfigOf } from '../../kiosk/config';
import type { NationalClient } from '../../national/client';
import { CashierChannel, type CentreOrderLookup } from './adapter';

export { CashierChannel, type CentreOrderLookup } from './adapter';

/** The cashier of the configured centre: its own origin when configured, the centre's otherwise. */
export function createCashierChannel(config: Config, national: NationalClient, lookup: CentreOrderLookup): CashierChannel {
  const c = kioskConfigOf(config).cashier;
  const n = config.national;
  return new CashierChannel(
    { ...c, baseUrl: c.baseUrl ?? n.baseUrl, frontBackUrl: c.frontBackUrl ?? `${config.publicBaseUrl}/` },
    {
      baseUrl: c.baseUrl ?? n.baseUrl,
      appId: n.appId,
      appSecret: n.appSecret,
      privateKey: n.privateKey,
      platformPublicKey: n.platformPublicKey,
      sm2UserId: n.sm2UserId,
      version: n.version,
      orgCodg: n.orgCodg,
      orgName: n.orgName,
      timeoutMs: c.timeoutMs,
      settledOrdStas: n.settledOrdStas,
    },
    national,
    lookup,
  );
}
