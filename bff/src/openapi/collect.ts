import { z } from 'zod';
import * as shared from '@mip/shared';
import type { Endpoint } from '@mip/shared';
import { staffApi } from '../staff/contract';
import { opsApi } from '@mip/shared';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

export function isEndpoint(v: unknown): v is Endpoint {
  if (!v || typeof v !== 'object') return false;
  const e = v as Partial<Endpoint>;
  return (
    typeof e.id === 'string' &&
    typeof e.path === 'string' &&
    e.path.startsWith('/') &&
    typeof e.method === 'string' &&
    METHODS.has(e.method) &&
    typeof e.auth === 'string' &&
    e.response instanceof z.ZodType
  );
}

/** Plain objects and module namespaces only: zod schemas and other class instances are not walked into. */
function isPlain(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === null || proto === Object.prototype;
}

/**
 * Every endpoint of the shared contract: whatever `@mip/shared` exports (patient, HIS and any
 * contract added later, as a namespace or an api map), plus the staff and ops contracts, which
 * are read directly so the document is complete before the contract index re-exports them.
 * Two different endpoints with one id, or one method and path, are a contract bug: refused.
 */
export function contractEndpoints(sources: unknown[] = [shared, staffApi, opsApi]): Endpoint[] {
  const byId = new Map<string, Endpoint>();
  const visit = (v: unknown, depth: number) => {
    if (isEndpoint(v)) {
      const seen = byId.get(v.id);
      if (seen && seen !== v) throw new Error(`two contract endpoints share the id ${v.id}`);
      byId.set(v.id, v);
      return;
    }
    // The roots are walked whatever they are (a module's exports object differs between loaders).
    if (depth > 2 || !v || typeof v !== 'object' || (depth > 0 && !isPlain(v))) return;
    for (const child of Object.values(v)) visit(child, depth + 1);
  };
  for (const s of sources) visit(s, 0);
  const routes = new Map<string, string>();
  for (const e of byId.values()) {
    const key = `${e.method} ${e.path.replace(/:[A-Za-z0-9_]+/g, ':')}`;
    const other = routes.get(key);
    if (other) throw new Error(`contract endpoints ${other} and ${e.id} share ${e.method} ${e.path}`);
    routes.set(key, e.id);
  }
  return [...byId.values()].sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
