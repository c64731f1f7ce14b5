/**
 * The e-voucher service (医保电子凭证) a kiosk reads the patient's QR through: `ec.query` at
 * `…/localcfc/api/hsecfc/localQrCodeQuery`, plain JSON, as HSA `DzpzOutptBOImpl.ecQuery` (L49-75)
 * builds it and `RequestInsureHnDzpz.callNeusoft` sends it (success is `code == "0"`, anything
 * else is a refusal carrying `message`). The answer's fields are the ones HSA
 * `hainansheng/emd/OutptElectronicBillFunction.getPatientInfo` (L60-72) reads from the decoded
 * voucher: `ecToken, idNo, userName, idType, insuOrg` (统筹区编码).
 */
import { peerRequest } from '../peers/http-client';
import type { EVoucherConfig } from './config';
import { VoucherFormatError, VoucherRefusedError, type EVoucherReader, type VoucherIdentity } from './port';

export { VoucherFormatError, VoucherRefusedError, type VoucherIdentity };


/** The body of ec.query (HSA DzpzOutptBOImpl L55-71), plus the scanned content under the configured field [I]. */
export function ecQueryBody(cfg: EVoucherConfig & { orgId: string }, qrCode: string, deviceId: string): Record<string, unknown> {
  return {
    data: {
      orgId: cfg.orgId,
      businessType: cfg.businessType,
      operatorId: cfg.operatorId ?? deviceId,
      operatorName: cfg.operatorName,
      officeId: cfg.officeId,
      officeName: cfg.officeName,
      deviceType: cfg.deviceType,
      [cfg.qrCodeField]: qrCode,
    },
    orgId: cfg.orgId,
    transType: 'ec.query',
  };
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** `{code:"0", data:{…}}` or the fields at the top level (HSA passes the whole result on). */
export function parseEcQueryAnswer(body: unknown): VoucherIdentity {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new VoucherFormatError('answer is not an object');
  const b = body as Record<string, unknown>;
  const code = text(b.code);
  if (code !== '0') {
    if (code) throw new VoucherRefusedError(code, text(b.message ?? b.msg));
    throw new VoucherFormatError('answer has no code');
  }
  const d = b.data && typeof b.data === 'object' && !Array.isArray(b.data) ? (b.data as Record<string, unknown>) : b;
  const v = { idNo: text(d.idNo), userName: text(d.userName), idType: text(d.idType) || '01', ecToken: text(d.ecToken), insuplcAdmdvs: text(d.insuOrg ?? d.insuplcAdmdvs) };
  if (!v.idNo || !v.userName || !v.ecToken || !v.insuplcAdmdvs) throw new VoucherFormatError('answer lacks ecToken, idNo, userName or insuOrg');
  return v;
}

export class EVoucherClient implements EVoucherReader {
  constructor(private readonly cfg: EVoucherConfig & { baseUrl: string; orgId: string }) {}

  /** The service of a configuration: its own origin and orgId, or the centre's. */
  static of(cfg: EVoucherConfig, national: { baseUrl: string; orgCodg: string }): EVoucherClient {
    return new EVoucherClient({ ...cfg, baseUrl: cfg.baseUrl ?? national.baseUrl, orgId: cfg.orgId ?? national.orgCodg });
  }

  /** Reads one scanned e-voucher QR. Throws VoucherRefusedError, VoucherFormatError or PeerError. */
  async query(qrCode: string, deviceId: string): Promise<VoucherIdentity> {
    const res = await peerRequest({
      peer: 'e-voucher',
      op: 'ec.query',
      url: this.cfg.baseUrl + this.cfg.path,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ecQueryBody(this.cfg, qrCode, deviceId)),
      timeoutMs: this.cfg.timeoutMs,
    });
    let body: unknown;
    try {
      body = JSON.parse(res.text());
    } catch {
      throw new VoucherFormatError('answer is not JSON');
    }
    return parseEcQueryAnswer(body);
  }
}

