import crypto from 'node:crypto';
import { generateKeyPair } from '../../bff/src/crypto/sm2';
import type { PeerStackModule } from '../../scripts/stack/types';

const hex = (n: number) => crypto.randomBytes(n).toString('hex').toUpperCase();

/** The mobile-payment centre: both SM2 key pairs are generated for each new stack. */
export const nationalStack: PeerStackModule = {
  name: 'national',
  entry: 'sandbox/national/main.ts',
  makeCredentials() {
    const hospital = generateKeyPair();
    const platform = generateKeyPair();
    return {
      appId: hex(16),
      appSecret: hex(16),
      hospitalPrivateKey: hospital.privateKey,
      hospitalPublicKey: hospital.publicKey,
      platformPrivateKey: platform.privateKey,
      platformPublicKey: platform.publicKey,
      orgCodg: 'H44010600001',
      orgName: '乐于医院（沙箱）',
    };
  },
  sandboxConfig(creds, urls) {
    const c = creds.national;
    return {
      appId: c.appId,
      appSecret: c.appSecret,
      hospitalPublicKey: c.hospitalPublicKey,
      platformPrivateKey: c.platformPrivateKey,
      orgCodg: c.orgCodg,
      notifyUrl: `${urls.bff}/notify/national/settlement`,
      notifyBaseMs: 500,
    };
  },
  bffConfig(creds, urls) {
    const c = creds.national;
    return {
      national: {
        baseUrl: urls.national,
        appId: c.appId,
        appSecret: c.appSecret,
        privateKey: c.hospitalPrivateKey,
        platformPublicKey: c.platformPublicKey,
        orgCodg: c.orgCodg,
        orgName: c.orgName,
      },
    };
  },
};
