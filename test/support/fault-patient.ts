/**
 * The fault suite's patients (test/support/fault-suite.ts): plain fetch against the BFF behind the
 * proxy, and the client's habits — a failed request (no answer, 5xx, 429, a busy order) is
 * repeated after a pause with the same Idempotency-Key.
 */
import { buildPath, patientApi as api, type Endpoint } from '@mip/shared';
import { personByKey } from '../../sandbox/seed/persons';
import type { TestStack } from './stack';
import { jsonOrText } from './api';
import type { Chance } from './fault-plan';

export interface Res {
  status: number;
  /** any: answers of every endpoint the fault suite drives, read field by field (as test/support/api.ts postJson) */
  body: any;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<Res> {
  try {
    const res = await fetch(url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: jsonOrText(await res.text()) };
  } catch (err) {
    return { status: 0, body: { error: { code: 'NETWORK', message: (err as Error).message } } };
  }
}

export const code = (r: Res): string => r.body?.error?.code ?? '';

/** What the client repeats: no answer, a server or peer failure, too many requests, a busy order. */
export function retryable(r: Res): boolean {
  return r.status === 0 || r.status >= 500 || r.status === 429 || (r.status === 409 && code(r) === 'ORDER_STATE_CONFLICT');
}

/** Repeats with a growing pause; the jitter is drawn from the caller's stream (test/support/fault-plan.ts). */
export async function retrying(fn: () => Promise<Res>, jitter: Chance, tries = 8, baseMs = 400): Promise<Res> {
  let r: Res = { status: 0, body: {} };
  for (let i = 0; i < tries; i++) {
    r = await fn();
    if (!retryable(r)) return r;
    await sleep(baseMs * (i + 1) + jitter.int(0, 200));
  }
  return r;
}

/** A crowd patient in one mini-program, over the stack's public URL (the proxy). */
export class Patient {
  token = '';
  busy = false;
  /** this patient's own random stream (login and onboarding retries) */
  constructor(readonly key: string, readonly channel: 'wechat' | 'alipay', readonly stack: TestStack, readonly chance: Chance) {}

  get openid(): string {
    return `sandbox-${this.key}`;
  }
  get userId(): string {
    return personByKey(this.key)!.alipayUserId;
  }

  bff(e: Endpoint, opts: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {}): Promise<Res> {
    return http(e.method, this.stack.urls.bff + buildPath(e.path, opts.params), e.method === 'GET' ? undefined : (opts.body ?? {}), {
      authorization: `Bearer ${this.token}`,
      ...(opts.headers ?? {}),
    });
  }

  private async channelCode(scopes: string[]): Promise<string> {
    const r =
      this.channel === 'wechat'
        ? await http('POST', `${this.stack.urls.wechat}/sandbox/dev/login-code`, { openid: this.openid })
        : await http('POST', `${this.stack.urls.alipay}/sandbox/dev/auth-code`, { userId: this.userId, scopes });
    return this.channel === 'wechat' ? r.body.code : r.body.authCode;
  }

  async login(): Promise<void> {
    const r = await retrying(async () => this.bff(api.login, { body: { channel: this.channel, code: await this.channelCode(['auth_base']) } }), this.chance);
    if (r.status !== 200) throw new Error(`${this.key}/${this.channel} login: ${r.status} ${JSON.stringify(r.body)}`);
    this.token = r.body.token;
  }

  async onboard(): Promise<void> {
    const p = personByKey(this.key)!;
    const st = await retrying(() => this.bff(api.insuranceStatus, { body: { regionCode: p.insurance[0].regionCode, idNo: p.idNo, name: p.name } }), this.chance);
    if (st.status !== 200 || !st.body.insured) throw new Error(`${this.key} status: ${st.status} ${JSON.stringify(st.body)}`);
    const b = await retrying(() => this.bff(api.chooseBenefit, { body: { benefitCode: st.body.benefits[0].code } }), this.chance);
    if (b.status !== 200) throw new Error(`${this.key} benefit: ${b.status} ${JSON.stringify(b.body)}`);
  }

  /** C11 once: a fresh e-voucher authorization (Alipay: activate the voucher when asked to). */
  async authorizeOnce(): Promise<Res> {
    if (this.channel === 'wechat') {
      const c = await http('POST', `${this.stack.urls.wechat}/sandbox/dev/insurance-auth`, { openid: this.openid });
      return this.bff(api.authorizeInsurance, { body: { authCode: c.body.authCode } });
    }
    let r = await this.bff(api.authorizeInsurance, { body: { authCode: await this.channelCode(['nhsamp', 'auth_user']) } });
    if (r.status === 200 && r.body.status === 'redirect') {
      await http('POST', `${this.stack.urls.alipay}/sandbox/dev/authorize-voucher`, { userId: this.userId });
      r = await this.bff(api.authorizeInsurance, { body: { authCode: await this.channelCode(['nhsamp', 'auth_user']) } });
    }
    return r;
  }

  /** The patient confirms (or fails) the mixed payment inside WeChat / Alipay. */
  async confirm(payment: Record<string, unknown>, outcome: 'ok' | 'fail' | 'medical_fail_cash_taken'): Promise<Res> {
    if (this.channel === 'wechat') return http('POST', `${this.stack.urls.wechat}/sandbox/dev/pay`, { ...payment, openid: this.openid, outcome });
    return http('POST', `${this.stack.urls.alipay}/sandbox/dev/pay`, { tradeNo: payment.tradeNo, outcome });
  }
}


/** Every bookable registration place, repeated by what is left of it, shuffled by `chance`. */
export async function slotPool(p: Patient, chance: Chance): Promise<string[]> {
  const pool: string[] = [];
  const { body: d } = await p.bff(api.departments);
  for (const dept of d.departments) {
    const { body: docs } = await p.bff(api.doctors, { params: { deptCode: dept.code } });
    for (const doc of docs.doctors.filter((x: { available: boolean }) => x.available)) {
      const { body: s } = await p.bff(api.slots, { params: { doctorCode: doc.code } });
      // leave the last hours of today alone: a place that closes during the run is refused
      for (const slot of s.slots) for (let i = 0; i < slot.remaining; i++) pool.push(slot.slotId);
    }
  }
  return chance.shuffle(pool);
}
