import { hisApi, patientApi } from '@mip/shared';
import { opsApi } from '@mip/shared';
import { staffApi } from '../staff/contract';
import { contractEndpoints } from './collect';
import { buildOpenApi, toOpenApiPath, type Operation } from './generate';
import { checkOpenApiDocument, validateAgainstOpenApi } from './validate';

const endpoints = contractEndpoints();
const doc = buildOpenApi(endpoints, { title: '乐于医院 BFF', version: '0.1.0', serverUrl: 'https://bff.example.org' });
const op = (method: string, path: string): Operation => doc.paths[path][method];

describe('the published OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    expect(checkOpenApiDocument(doc)).toEqual([]);
  });

  it('would be refused by the checker if it broke the OpenAPI schema or left a path parameter undeclared', () => {
    const broken = structuredClone(doc) as unknown as { info: Record<string, unknown>; paths: Record<string, Record<string, { parameters?: unknown }>> };
    delete broken.info.version;
    delete broken.paths['/api/orders/{orderNo}'].get.parameters;
    const errors = checkOpenApiDocument(broken as unknown as typeof doc);
    expect(errors.some((e) => e.includes('/info'))).toBe(true);
    expect(errors.some((e) => e.includes('path parameters'))).toBe(true);
  });

  it('lists every endpoint of the patient, HIS, staff and ops contracts', () => {
    const all = [...Object.values(patientApi), ...Object.values(hisApi), ...Object.values(staffApi), ...Object.values(opsApi)];
    for (const e of all) expect(op(e.method.toLowerCase(), toOpenApiPath(e.path))?.operationId).toBe(e.id);
  });

  it('holds exactly the operations the contract has', () => {
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops.sort()).toEqual(endpoints.map((e) => e.id).sort());
  });

  it('writes Koa path parameters as OpenAPI templates and declares them', () => {
    const o = op('get', '/his/v1/orders/{orderNo}/refunds/{refundNo}');
    expect(o.parameters?.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['orderNo', 'refundNo']);
  });

  it('requires a bearer session on patient endpoints', () => {
    expect(op('get', '/api/orders').security).toEqual([{ patientBearer: [] }]);
    expect(doc.components.securitySchemes.patientBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('requires the four HMAC headers on HIS endpoints and describes the signing text', () => {
    expect(op('post', '/his/v1/refunds').security).toEqual([{ hmacClientId: [], hmacTimestamp: [], hmacNonce: [], hmacSignature: [] }]);
    expect(doc.components.securitySchemes.hmacClientId.description).toContain('SHA-256(raw body)');
    expect(doc.components.securitySchemes.hmacSignature).toMatchObject({ in: 'header', name: 'X-Signature' });
  });

  it('requires the staff cookie, and the CSRF header on state-changing staff calls', () => {
    expect(op('get', '/staff/api/reviews').security).toEqual([{ staffSession: [] }]);
    expect(op('post', '/staff/api/orders/{orderNo}/review').security).toEqual([{ staffSession: [], staffCsrf: [] }]);
    expect(doc.components.securitySchemes.staffSession).toMatchObject({ in: 'cookie', name: 'mip_staff_sid' });
  });

  it('documents which staff roles may call an endpoint', () => {
    expect(op('post', '/staff/api/orders/{orderNo}/review')['x-staff-roles']).toEqual(['finance', 'admin']);
  });

  it('marks public endpoints as needing no credentials', () => {
    expect(op('post', '/api/session').security).toEqual([]);
  });

  it('documents the Idempotency-Key header where the contract reads it', () => {
    expect(op('post', '/api/orders').parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
  });

  it('documents error answers with the ErrorResponse schema and the stable codes of each status', () => {
    expect(op('get', '/api/orders').responses['404']).toEqual({ $ref: '#/components/responses/Error404' });
    expect(JSON.stringify(doc.components.schemas.Error404)).toContain('ORDER_NOT_FOUND');
    expect(doc.components.responses.Error429.description).toContain('RATE_LIMITED');
  });

  it('documents the CSV export as text/csv', () => {
    expect(Object.keys(op('post', '/staff/api/orders/export').responses['200'].content as object)).toEqual(['text/csv; charset=utf-8']);
  });

  it('describes request bodies from the contract', () => {
    const schema = (op('post', '/staff/api/session').requestBody?.content as Record<string, { schema: { required: string[] } }>)['application/json'].schema;
    expect(schema.required).toEqual(['username', 'password']);
  });
});

describe('validating an answer against the document', () => {
  it('accepts an answer that follows the contract', () => {
    const r = validateAgainstOpenApi(doc, 'GET', '/healthz', 200, { ok: true });
    expect(r).toEqual({ ok: true, operationId: 'ops.healthz', errors: [] });
  });

  it('accepts a stable error answer', () => {
    expect(validateAgainstOpenApi(doc, 'GET', '/api/orders/O261123100000ABCDEF', 404, { error: { code: 'ORDER_NOT_FOUND', message: '没有找到这笔订单', requestId: 'r-123456' } }).errors).toEqual([]);
  });

  it('refuses an error code that does not belong to the status', () => {
    expect(validateAgainstOpenApi(doc, 'GET', '/api/orders', 404, { error: { code: 'RATE_LIMITED', message: 'x' } }).ok).toBe(false);
  });

  it('refuses an answer with a field the contract does not have', () => {
    expect(validateAgainstOpenApi(doc, 'GET', '/healthz', 200, { ok: true, secret: 'x' }).ok).toBe(false);
  });

  it('matches a literal path before a template', () => {
    expect(validateAgainstOpenApi(doc, 'POST', '/staff/api/orders/search', 400, { error: { code: 'VALIDATION_FAILED', message: 'x' } }).operationId).toBe('staff.orders.search');
  });

  it('reports a path the document does not have', () => {
    expect(validateAgainstOpenApi(doc, 'GET', '/nowhere', 200, {}).errors[0]).toContain('no path');
  });
});
