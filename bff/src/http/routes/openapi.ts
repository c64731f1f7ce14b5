import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Endpoint } from '@mip/shared';
import { opsApi } from '@mip/shared';

const { openapi } = opsApi;
import { bind, type RouteOptions } from '../route';
import { contractEndpoints } from '../../openapi/collect';
import { buildOpenApi, toOpenApiPath, type OpenApiDoc } from '../../openapi/generate';

function bffVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const AUTH_LABEL: Record<Endpoint['auth'], string> = { none: 'public', patient: 'patient bearer', his: 'HMAC (HIS)', kiosk: 'HMAC (kiosk)', staff: 'staff cookie + CSRF' };

/** A plain list of every endpoint for people; the machine-readable truth is /openapi.json. */
export function docsPage(endpoints: readonly Endpoint[], title: string): string {
  const rows = endpoints
    .map((e) => {
      const roles = (e as { roles?: readonly string[] }).roles;
      const auth = AUTH_LABEL[e.auth] + (roles?.length ? ` (${roles.join(', ')})` : '');
      return `<tr><td>${e.method}</td><td><code>${escape(toOpenApiPath(e.path))}</code></td><td>${escape(auth)}</td><td>${escape(e.summary)}</td><td>${escape(e.id)}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} API</title>
<style>body{font:16px/1.5 sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}</style>
</head><body><h1>${escape(title)} API</h1><p>OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a></p>
<table id="endpoints"><thead><tr><th>Method</th><th>Path</th><th>Auth</th><th>Summary</th><th>Operation</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

/** GET /openapi.json and GET /docs. The document is built once: the contract does not change at run time. */
export function openapiRoutes(router: Router, opts: RouteOptions, info: { title: string; serverUrl?: string }): { doc: () => OpenApiDoc } {
  let doc: OpenApiDoc | undefined;
  const endpoints = () => contractEndpoints();
  const get = () => (doc ??= buildOpenApi(endpoints(), { title: info.title, version: bffVersion(), serverUrl: info.serverUrl }));
  bind(router, openapi, opts, async ({ ctx }) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    return get() as unknown as Record<string, unknown>;
  });
  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = docsPage(endpoints(), info.title);
  });
  return { doc: get };
}
