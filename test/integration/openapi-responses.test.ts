/**
 * The published OpenAPI document against REAL answers: a full patient payment through the
 * running stack (BFF processes, sandbox peers, redis-server), then every staff endpoint and the
 * ops endpoints of a BFF app built with the extras on the same Redis. Every answer recorded on
 * the way is validated with validateAgainstOpenApi.
 */
import { patientApi } from '@mip/shared';
import { staffApi } from '../../bff/src/staff/contract';
import type { OpenApiDoc } from '../../bff/src/openapi/generate';
import { checkOpenApiDocument, validateAgainstOpenApi } from '../../bff/src/openapi/validate';
import { WechatPatient } from '../support/patient';
import { testStack, type TestStack } from '../support/stack';
import { signedIn, stackDeps, startStaffApp, StaffClient, type StaffTestApp } from '../support/staff';

interface Recorded {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

let stack: TestStack;
let app: StaffTestApp;
let doc: OpenApiDoc;
const recorded: Recorded[] = [];
const realFetch = globalThis.fetch;

/** Records every answer of the BFF (stack process or extras app) that passes through fetch. */
function record(bases: string[]): void {
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const res = await realFetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (bases.includes(url.origin)) {
      const contentType = res.headers.get('content-type') ?? '';
      const text = await res.clone().text();
      const body = contentType.includes('json') && text ? JSON.parse(text) : text;
      recorded.push({ method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname, status: res.status, contentType, body });
    }
    return res;
  };
}

beforeAll(async () => {
  stack = await testStack();
  app = await startStaffApp(stackDeps(stack.bffConfigFile));
  doc = (await (await realFetch(`${app.url}/openapi.json`)).json()) as OpenApiDoc;
  record([new URL(stack.urls.bff).origin, new URL(app.url).origin]);
}, 120_000);
afterAll(async () => {
  globalThis.fetch = realFetch;
  await app?.close();
  app?.deps.redis.disconnect();
  await stack?.cleanup();
});

function problems(filter: (r: Recorded) => boolean): string[] {
  return recorded.filter(filter).flatMap((r) => validateAgainstOpenApi(doc, r.method, r.path, r.status, r.body, r.contentType || 'application/json').errors);
}

describe('the served document', () => {
  it('is valid OpenAPI 3.1 and served at /openapi.json', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(checkOpenApiDocument(doc)).toEqual([]);
  });

  it('lists a page of endpoints for people at /docs', async () => {
    const html = await (await realFetch(`${app.url}/docs`)).text();
    expect(html).toContain('/staff/api/orders/{orderNo}/review');
  });
});

describe('real answers follow the document', () => {
  let orderNo = '';

  it('for every patient call of a full payment', async () => {
    const p = await new WechatPatient(stack, 'zhang').login();
    await p.api.ok(patientApi.clientConfig);
    await p.api.ok(patientApi.listRegions);
    await p.onboard();
    await p.api.ok(patientApi.insuranceProfile);
    await p.api.ok(patientApi.departments);
    orderNo = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed'], 30_000);
    await p.api.ok(patientApi.listOrders);
    await p.api.call(patientApi.getOrder, { params: { orderNo: 'O2611241000000NONE99' } });
    await p.api.call(patientApi.cancelOrder, { params: { orderNo } });
    await p.api.call(patientApi.cancelRegistration, { params: { orderNo } });
    const patientCalls = recorded.filter((r) => r.path.startsWith('/api/'));
    expect(patientCalls.length).toBeGreaterThan(10);
    expect(patientCalls.map((r) => r.status)).toEqual(expect.arrayContaining([200, 404, 409]));
    expect(problems((r) => r.path.startsWith('/api/'))).toEqual([]);
  });

  it('for every staff endpoint, answers and errors alike', async () => {
    const anon = new StaffClient(app.url);
    await anon.call(staffApi.me);
    await anon.login('nobody', 'wrong-password');
    const itStaff = await signedIn(app, ['it']);
    const c = await signedIn(app, ['finance']);
    await c.call(staffApi.me);
    await c.call(staffApi.searchOrders, { body: { orderNo } });
    await c.call(staffApi.searchOrders, { body: { from: '2026-01-01', to: '2026-03-01' } });
    await c.call(staffApi.getOrder, { params: { orderNo } });
    await c.call(staffApi.getOrder, { params: { orderNo: 'O2611241000000NONE99' } });
    await c.call(staffApi.listReviews);
    await c.call(staffApi.exportOrders, { body: { orderNo } });
    await c.call(staffApi.resolveReview, { params: { orderNo }, body: { to: 'completed', note: '核对无误，已完成', version: 1 } });
    await itStaff.call(staffApi.resolveReview, { params: { orderNo }, body: { to: 'completed', note: '核对无误，已完成', version: 1 } });
    await c.call(staffApi.recheckOrder, { params: { orderNo }, body: {} });
    await itStaff.call(staffApi.recheckOrder, { params: { orderNo }, body: {} });
    await c.call(staffApi.recheckOrder, { params: { orderNo: 'O2611241000000NONE99' }, body: {} });
    const refund = { params: { orderNo }, body: { refundNo: 'OPENAPI001', all: true, reason: '接口文档核对退款', confirmed: true } };
    await itStaff.call(staffApi.createRefund, refund);
    await c.call(staffApi.createRefund, refund);
    await c.call(staffApi.logout, { csrf: false });
    await c.call(staffApi.logout);
    const seen = new Set(recorded.filter((r) => r.path.startsWith('/staff/api')).map((r) => validateAgainstOpenApi(doc, r.method, r.path, r.status, r.body, r.contentType).operationId));
    expect([...seen].sort()).toEqual(Object.values(staffApi).map((e) => e.id).sort());
    expect(problems((r) => r.path.startsWith('/staff/api'))).toEqual([]);
  });

  it('for the ops endpoints', async () => {
    await fetch(`${app.url}/healthz`);
    await fetch(`${app.url}/health`);
    await fetch(`${app.url}/health`, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    await fetch(`${app.url}/metrics`);
    await fetch(`${app.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    const ops = (r: Recorded) => ['/healthz', '/health', '/metrics'].includes(r.path);
    expect(recorded.filter(ops).map((r) => r.status)).toEqual([200, 200, 200, 200, 403]);
    expect(problems(ops)).toEqual([]);
  });
});
