import crypto from 'node:crypto';
import type { PeerStackModule } from '../../scripts/stack/types';
import type { HisSandboxConfigInput } from './config';

const token = (n: number) => crypto.randomBytes(n).toString('base64url');

interface HisCredentials {
  /** BFF -> HIS */
  clientId: string;
  clientSecret: string;
  /** HIS -> BFF (message push) */
  hisClientId: string;
  hisClientSecret: string;
}

const credsOf = (c: Record<string, unknown>): HisCredentials => c as unknown as HisCredentials;

/** The hospital HIS: fresh HMAC credentials in both directions for every new stack. */
export const hisStack: PeerStackModule = {
  name: 'his',
  entry: 'sandbox/his/main.ts',
  makeCredentials(): HisCredentials & Record<string, unknown> {
    return {
      clientId: `bff-${token(6)}`,
      clientSecret: token(32),
      hisClientId: `his-${token(6)}`,
      hisClientSecret: token(32),
    };
  },
  sandboxConfig(creds, urls) {
    const c = credsOf(creds.his);
    const config: HisSandboxConfigInput = {
      clients: [{ clientId: c.clientId, secret: c.clientSecret }],
      idempotentWriteBack: false,
      supportsReversal: true,
      centreUrl: urls.national,
      push: { enabled: true, bffUrl: urls.bff, clientId: c.hisClientId, secret: c.hisClientSecret },
    };
    return config;
  },
  bffConfig(creds, urls) {
    const c = credsOf(creds.his);
    return {
      his: {
        baseUrl: urls.his,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        timeoutMs: 5000,
        patientIndex: 'idNo',
        supportsReversal: true,
      },
      security: { hisClients: [{ clientId: c.hisClientId, secret: c.hisClientSecret }] },
    };
  },
};
