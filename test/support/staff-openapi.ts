/**
 * The published OpenAPI document for any integration test: build it from the contract (no
 * server needed) and check a real answer against it.
 *
 *   const res = await fetch(url); const body = await res.json();
 *   expectOpenApiMatch('GET', '/api/orders', res.status, body);
 */
import { contractEndpoints } from '../../bff/src/openapi/collect';
import { buildOpenApi, type OpenApiDoc } from '../../bff/src/openapi/generate';
import { validateAgainstOpenApi, type OpenApiCheck } from '../../bff/src/openapi/validate';

let cached: OpenApiDoc | undefined;

export function publishedDoc(): OpenApiDoc {
  cached ??= buildOpenApi(contractEndpoints(), { title: 'BFF', version: 'test' });
  return cached;
}

export function checkAnswer(method: string, path: string, status: number, body: unknown, contentType = 'application/json'): OpenApiCheck {
  return validateAgainstOpenApi(publishedDoc(), method, path, status, body, contentType);
}

/** Fails the test with every schema violation of the answer. */
export function expectOpenApiMatch(method: string, path: string, status: number, body: unknown, contentType?: string): void {
  expect(checkAnswer(method, path, status, body, contentType).errors).toEqual([]);
}

export { validateAgainstOpenApi };
