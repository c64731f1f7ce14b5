import crypto from 'node:crypto';
import { generateKeyPair } from './envelope';
import type { PeerStackModule } from '../../scripts/stack/types';

const hex = (n: number) => crypto.randomBytes(n).toString('hex').toUpperCase();

export type KioskDeviceCredentials = { deviceId: string; secret: string }[];

/** Two self-service devices, so tests can tell one device's visit from another's. */
const KIOSK_DEVICE_IDS = ['KIOSK-MZ-01', 'KIOSK-MZ-02'];

/** The stack's kiosk devices; a stack directory made before kiosks existed derives them from its appSecret. */
export function kioskDevicesOf(c: Record<string, unknown>): KioskDeviceCredentials {
  if (Array.isArray(c.kioskDevices)) return c.kioskDevices as KioskDeviceCredentials;
  return KIOSK_DEVICE_IDS.map((deviceId) => ({ deviceId, secret: crypto.createHmac('sha256', String(c.appSecret)).update(`kiosk:${deviceId}`).digest('hex') }));
}

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
      kioskDevices: KIOSK_DEVICE_IDS.map((deviceId) => ({ deviceId, secret: hex(24) })),
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
      // the e-voucher service (kiosk.ts) and the centre's cashier (cashier.ts) are served by this sandbox
      kiosk: { publicUrl: urls.national },
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
      // kiosk devices sign their calls to the BFF (the stack concatenates these lists)
      security: { kioskDevices: kioskDevicesOf(c) },
    };
  },
};
