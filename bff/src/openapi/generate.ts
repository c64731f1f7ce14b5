import { z } from 'zod';
import { ERRORS, ErrorResponse, type Endpoint, type ErrorCode } from '@mip/shared';
import { HMAC_DESCRIPTION, SECURITY_SCHEMES, securityFor } from './security';

/**
 * The published API: an OpenAPI 3.1 document generated from the same zod contract that
 * validates requests in the BFF and types the client, so the three cannot drift. Schemas are
 * JSON Schema 2020-12 (the dialect of OpenAPI 3.1), from zod 4's own converter.
 */
export type JsonSchema = Record<string, unknown>;

export interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: JsonSchema[];
  requestBody?: JsonSchema;
  responses: Record<string, JsonSchema>;
  'x-auth': Endpoint['auth'];
  'x-staff-roles'?: readonly string[];
}

export interface OpenApiDoc {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, JsonSchema>; securitySchemes: typeof SECURITY_SCHEMES };
}

const TAGS: Record<string, string> = {
  patient: 'Patient API of the WeChat and Alipay mini-programs (bearer session)',
  his: 'Calls from the hospital HIS (HMAC-signed)',
  kiosk: 'Self-service kiosks (HMAC-signed)',
  staff: 'Hospital staff order management (session cookie + CSRF header)',
  ops: 'Operations: liveness, readiness, metrics, this document',
};

export function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/api/orders/:orderNo` → `/api/orders/{orderNo}` */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function isEmptyObject(s: JsonSchema): boolean {
  return s.type === 'object' && (!s.properties || Object.keys(s.properties as object).length === 0);
}

function parameters(e: Endpoint): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (where: 'path' | 'query', schema: z.ZodType) => {
    const s = toSchema(schema, 'input');
    const required = new Set((s.required as string[] | undefined) ?? []);
    for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: p, ...(p.description ? { description: p.description } : {}) });
    }
  };
  add('path', e.params);
  add('query', e.query);
  for (const [name, h] of Object.entries(e.headers ?? {})) out.push({ name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } });
  return out;
}

/** Every status a stable error code can have, each answer's code narrowed to that status's codes. */
export function errorStatuses(): Map<number, ErrorCode[]> {
  const m = new Map<number, ErrorCode[]>();
  for (const [code, e] of Object.entries(ERRORS) as [ErrorCode, { status: number }][]) m.set(e.status, [...(m.get(e.status) ?? []), code]);
  return new Map([...m].sort(([a], [b]) => a - b));
}

function successContent(e: Endpoint): JsonSchema {
  if (e.produces) return { [e.produces]: { schema: { type: 'string' } } };
  const content: JsonSchema = { 'application/json': { schema: toSchema(e.response, 'output') } };
  if (e.alsoProduces) content[e.alsoProduces] = { schema: { type: 'string' } };
  return content;
}

export function operation(e: Endpoint, statuses: number[]): Operation {
  const op: Operation = {
    operationId: e.id,
    summary: e.summary,
    tags: [e.tag],
    security: securityFor(e.auth, e.method),
    responses: { '200': { description: 'OK', content: successContent(e) } },
    'x-auth': e.auth,
  };
  const params = parameters(e);
  if (params.length) op.parameters = params;
  if (e.method !== 'GET') {
    const body = toSchema(e.body, 'input');
    if (!isEmptyObject(body)) op.requestBody = { required: true, content: { 'application/json': { schema: body } } };
  }
  for (const s of statuses) op.responses[String(s)] = { $ref: `#/components/responses/Error${s}` };
  // Statuses answered with the success body (readiness: 503 "down"), declared by the contract.
  const same = e.statuses ?? {};
  for (const [s, description] of Object.entries(same)) op.responses[s] = { description, content: successContent(e) };
  const roles = (e as { roles?: readonly string[] }).roles;
  if (e.auth === 'staff' && roles) op['x-staff-roles'] = roles;
  return op;
}

export function buildOpenApi(endpoints: readonly Endpoint[], info: { title: string; version: string; serverUrl?: string }): OpenApiDoc {
  const byStatus = errorStatuses();
  const schemas: Record<string, JsonSchema> = { ErrorResponse: toSchema(ErrorResponse, 'output') };
  const responses: Record<string, JsonSchema> = {};
  for (const [status, codes] of byStatus) {
    schemas[`Error${status}`] = {
      allOf: [{ $ref: '#/components/schemas/ErrorResponse' }, { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }],
    };
    responses[`Error${status}`] = {
      description: codes.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join('; '),
      content: { 'application/json': { schema: { $ref: `#/components/schemas/Error${status}` } } },
    };
  }
  const paths: OpenApiDoc['paths'] = {};
  for (const e of endpoints) {
    const p = toOpenApiPath(e.path);
    paths[p] ??= {};
    paths[p][e.method.toLowerCase()] = operation(e, [...byStatus.keys()]);
  }
  const used = [...new Set(endpoints.map((e) => e.tag))];
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description: [
        'Hospital BFF for medical-insurance mobile payment 2.0 (医保移动支付). Money is integer fen (分).',
        'Errors answer `{ "error": { "code", "message", "requestId" } }` with a stable code; the X-Request-Id header is echoed and may be sent.',
        `HMAC signing: ${HMAC_DESCRIPTION}`,
      ].join('\n\n'),
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    tags: used.map((name) => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: { schemas, responses, securitySchemes: SECURITY_SCHEMES },
  };
}
