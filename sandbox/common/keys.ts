import crypto from 'node:crypto';

/** n random decimal digits (app ids, merchant numbers of a fresh sandbox stack) */
export const digits = (n: number) => Array.from({ length: n }, () => crypto.randomInt(0, 10)).join('');

/** A fresh RSA-2048 key pair as PKCS8 / SPKI PEM, the form both channels' keys take. */
export function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
