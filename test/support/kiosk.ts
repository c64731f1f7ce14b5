/**
 * A self-service kiosk of the sandbox world, driven over real HTTP: every call HMAC-signed with
 * the device's credentials (X-Client-Id = device id), the patient's e-voucher QR issued by the
 * sandbox centre, and the centre's cashier "scanned" by opening its page and pressing pay.
 * Mirrors WechatPatient (patient.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPath, type Endpoint, type OrderState, type OrderView } from '@mip/shared';
import { kioskApi as api, type KioskVisit } from '@mip/shared';
import type { z } from 'zod';
import { wire } from '../../bff/src/app/wiring';
import { loadConfig } from '../../bff/src/config';
import { createApp } from '../../bff/src/http/app';
import { kioskConfigOf } from '../../bff/src/kiosk/config';
import { kioskRoutes } from '../../bff/src/http/routes/kiosk';
import { createLogger } from '../../bff/src/obs/log';
import { signRequest } from '../../bff/src/security/hmac-request';
import { open, seal } from '../../bff/src/national/envelope';
import { kioskDevicesOf } from '../../sandbox/national/stack';
import type { ApiResult, ErrorBody } from './api';
import { getJson, postJson, type TestStack } from './stack';

/** Short kiosk deadlines for tests (env of the stack's BFF and of the in-process one alike). */
export const KIOSK_TEST_ENV = { MIP_KIOSK_POLL_AFTER_MS: '1000' };

export interface KioskBff {
  url: string;
  close(): Promise<void>;
}

/**
 * Where the kiosk API is served: the stack's BFF once http/app.ts mounts kioskRoutes; until
 * then a BFF app built in this process on the stack's configuration and Redis (the stack's BFF
 * process still receives the 6302 notifications and runs the jobs, like a second instance).
 */
export async function kioskBff(stack: TestStack, env: Record<string, string> = KIOSK_TEST_ENV): Promise<KioskBff> {
  const probe = await fetch(stack.urls.bff + api.departments.path);
  if (probe.status !== 404) return { url: stack.urls.bff, close: async () => undefined };
  const config = loadConfig({ MIP_CONFIG: stack.bffConfigFile });
  const deps = { ...wire(config), log: createLogger('bff-kiosk', 'warn') };
  const app = createApp(deps, { mount: [(router, opts) => kioskRoutes(router, deps, opts, kioskConfigOf(config, env))] });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      deps.redis.disconnect();
    },
  };
}

export type Signing = 'device' | 'none' | { deviceId: string; secret: string };

export class KioskDevice {
  constructor(readonly stack: TestStack, readonly base: string, readonly deviceId: string, readonly secret: string) {}

  /** The stack's n-th kiosk device. */
  static of(stack: TestStack, base: string, n = 0): KioskDevice {
    const d = kioskDevicesOf(stack.credentials.national)[n];
    if (!d) throw new Error(`the stack has no kiosk device #${n}`);
    return new KioskDevice(stack, base, d.deviceId, d.secret);
  }

  async call<E extends Endpoint>(
    e: E,
    input: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string>; sign?: Signing } = {},
  ): Promise<ApiResult<z.output<E['response']> & Partial<ErrorBody>>> {
    const path = buildPath(e.path, input.params);
    const raw = e.method === 'GET' ? '' : JSON.stringify(input.body ?? {});
    const headers: Record<string, string> = { ...(input.headers ?? {}) };
    const sign = input.sign ?? 'device';
    if (sign !== 'none') {
      const who = sign === 'device' ? { deviceId: this.deviceId, secret: this.secret } : sign;
      Object.assign(headers, signRequest(who.deviceId, who.secret, e.method, path, raw));
    }
    if (e.method !== 'GET') headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method: e.method, headers, body: e.method === 'GET' ? undefined : raw });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }

  async ok<E extends Endpoint>(e: E, input: Parameters<KioskDevice['call']>[1] = {}): Promise<z.output<E['response']>> {
    const r = await this.call(e, input);
    if (r.status >= 300) throw new Error(`${e.id} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** The e-voucher QR a seed person shows on their phone (issued by the sandbox centre). */
  async voucherQr(personKey: string, ttlMs?: number): Promise<string> {
    const r = await postJson(`${this.stack.urls.national}/sandbox/dev/ec-qrcode`, { personKey, ...(ttlMs ? { ttlMs } : {}) });
    if (r.status !== 200) throw new Error(`no voucher QR for ${personKey}: ${JSON.stringify(r.body)}`);
    return r.body.qrCode as string;
  }

  async identify(qrCode: string, visitId?: string): Promise<KioskVisit> {
    return this.ok(api.identify, { body: { qrCode, ...(visitId ? { visitId } : {}) } });
  }

  /** Voucher QR → identify → the first benefit; returns the visit. */
  async checkIn(personKey: string): Promise<KioskVisit> {
    const visit = await this.identify(await this.voucherQr(personKey));
    if (!visit.insured) throw new Error(`${personKey} is not insured: ${visit.notice}`);
    await this.ok(api.chooseBenefit, { params: { visitId: visit.visitId }, body: { benefitCode: visit.benefits[0].code } });
    return visit;
  }

  private idem(): Record<string, string> {
    return { 'idempotency-key': `kiosk-${Date.now()}-${Math.random().toString(36).slice(2)}` };
  }

  async createOutpatientOrder(visitId: string, billNos?: string[]): Promise<OrderView> {
    let nos = billNos;
    if (!nos) {
      const { bills } = await this.ok(api.bills, { params: { visitId } });
      if (!bills.length) throw new Error('the visit has no unpaid bills');
      nos = [bills[0].billNo];
    }
    return (await this.ok(api.createOrder, { params: { visitId }, body: { kind: 'outpatient', billNos: nos }, headers: this.idem() })).order;
  }

  /** The first bookable slot of the first available doctor of a department. */
  async createRegistrationOrder(visitId: string, deptIndex = 0): Promise<OrderView> {
    const { departments } = await this.ok(api.departments);
    const dept = departments[deptIndex % departments.length];
    const { doctors } = await this.ok(api.doctors, { params: { deptCode: dept.code } });
    for (const d of doctors.filter((x) => x.available)) {
      const { slots } = await this.ok(api.slots, { params: { doctorCode: d.code } });
      const slot = slots.find((x) => x.remaining > 0);
      if (slot) return (await this.ok(api.createOrder, { params: { visitId }, body: { kind: 'registration', slotId: slot.slotId }, headers: this.idem() })).order;
    }
    throw new Error(`no bookable slot in ${dept.name}`);
  }

  async pay(visitId: string, orderNo: string) {
    return this.ok(api.payOrder, { params: { visitId, orderNo } });
  }

  /** The patient scans the cashier QR with their phone: the page opens, they press pay. */
  async scanCashier(qrCode: string, outcome: 'ok' | 'fail' = 'ok'): Promise<{ page: string; result: { ok: boolean; tradeStatus?: string } }> {
    const res = await fetch(qrCode);
    const page = await res.text();
    if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('html')) throw new Error(`cashier page → ${res.status}`);
    const r = await postJson(`${qrCode}/pay`, { outcome });
    return { page, result: r.body };
  }

  async order(visitId: string, orderNo: string): Promise<OrderView> {
    return (await this.ok(api.getOrder, { params: { visitId, orderNo } })).order;
  }

  async waitForState(visitId: string, orderNo: string, states: OrderState[], timeoutMs = 20_000): Promise<OrderView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const last = await this.order(visitId, orderNo);
      if (states.includes(last.state)) return last;
      if (Date.now() > until) throw new Error(`order ${orderNo} stayed ${last.state}, wanted ${states.join('|')}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** The sandbox centre's order of one of ours (by medOrgOrd = our order number). */
  async centreOrder(orderNo: string): Promise<{ payOrdId: string; ordStas: string; idNo: string; name: string; refunds: { appRefdSn: string; amounts: { cashFen: number; acctFen: number; fundFen: number } }[]; split?: { cashFen: number } }> {
    return (await getJson(`${this.stack.urls.national}/sandbox/orders/${orderNo}`)).order;
  }

  /** What the sandbox cashier knows of an order: its state and the callbacks it sent and had acknowledged. */
  async cashier(payOrdId: string): Promise<{ state: string; callbacksSent: number; callbacksAcked: number; tradeStatus?: string }> {
    return (await getJson(`${this.stack.urls.national}/sandbox/cashier/${payOrdId}`)).cashier;
  }

  /** The sandbox cashier calls back again (optionally with another tradeStatus) and waits for the answer. */
  async repeatCallback(payOrdId: string, tradeStatus?: string): Promise<{ sent: number; acked: number }> {
    return (await postJson(`${this.stack.urls.national}/sandbox/cashier/${payOrdId}/callback`, tradeStatus ? { tradeStatus } : {})).body as { sent: number; acked: number };
  }

  /** A request in the centre's envelope sealed with the hospital's key, straight to the sandbox; the answer opened when it is one. */
  async sealedToCentre(path: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = this.stack.credentials.national as { appId: string; appSecret: string; hospitalPrivateKey: string; platformPublicKey: string };
    const r = await postJson(this.stack.urls.national + path, seal(data, { appId: c.appId, appSecret: c.appSecret, privateKey: c.hospitalPrivateKey }));
    const body = r.body as Record<string, unknown>;
    return typeof body.encData === 'string' ? open(body, { appId: c.appId, appSecret: c.appSecret, peerPublicKey: c.platformPublicKey }) : body;
  }

  /** The HIS ledger of an order (sandbox HIS). */
  async ledger(orderNo: string): Promise<{ settlements: unknown[] }> {
    return getJson(`${this.stack.urls.his}/sandbox/ledger/${orderNo}`);
  }
}
