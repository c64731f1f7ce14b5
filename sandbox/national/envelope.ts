// The sandbox centre's own envelope (SM4 + SM2 + sign text). Seam: every sandbox file imports the
// envelope from here. Issue 10 replaces the body with an independent implementation (sm-crypto).
export { open, seal, EnvelopeError } from '../../bff/src/national/envelope';
export { generateKeyPair } from '../../bff/src/crypto/sm2';
