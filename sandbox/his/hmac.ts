// The sandbox HIS's own request signing. Seam: every sandbox file imports it from here.
// Issue 10 replaces the body with an independent implementation written from the HIS protocol.
export { verifyRequest, signRequest } from '../../bff/src/security/hmac-request';
