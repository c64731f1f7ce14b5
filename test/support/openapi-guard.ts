/**
 * Every integration and end-to-end test checks the published OpenAPI document as a side effect:
 * each answer of a BFF (recognised by its Server-Timing header) that passes through fetch in the
 * test process is validated against the document generated from the shared contract, and a test
 * file with an answer the document does not describe fails in afterAll. Documented endpoints
 * thus cannot drift from what the BFF really sends — patient, HIS-facing, kiosk, staff alike.
 */
import { checkAnswer, publishedDoc } from './staff-openapi';
import { matchPath } from '../../bff/src/openapi/validate';

const violations: string[] = [];
let checked = 0;
const realFetch = globalThis.fetch;

globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const res = await realFetch(input, init);
  if (!res.headers.get('server-timing')?.startsWith('app;')) return res;
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  if (!matchPath(publishedDoc(), url.pathname, method)) return res; // not a documented endpoint (static files, notifications)
  const contentType = res.headers.get('content-type') ?? '';
  if (!/json|csv/.test(contentType)) return res;
  const text = await res.clone().text();
  let body: unknown = text;
  if (contentType.includes('json') && text) {
    try {
      body = JSON.parse(text);
    } catch {
      violations.push(`${method} ${url.pathname} ${res.status}: body is not JSON`);
      return res;
    }
  }
  checked++;
  const c = checkAnswer(method, url.pathname, res.status, body, contentType);
  if (!c.ok) violations.push(...c.errors.map((e) => `${method} ${url.pathname}: ${e}`));
  return res;
};

afterAll(() => {
  if (violations.length) throw new Error(`answers the OpenAPI document does not describe (${violations.length} of ${checked}):\n${[...new Set(violations)].slice(0, 20).join('\n')}`);
});
