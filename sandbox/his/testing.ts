/**
 * For tests: the sandbox HIS on a free loopback port in this process, over real HTTP, plus
 * typed access to its control API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from './hmac';
import type { FaultRule } from '../common/faults';
import { createHisSandbox, type HisSandbox } from './app';
import type { HisSandboxConfigInput } from './config';
import type { ledgerView } from './ledger';

export interface RunningHis {
  url: string;
  sandbox: HisSandbox;
  fault(rule: FaultRule): Promise<void>;
  faultRules(): Promise<(FaultRule & { id: number })[]>;
  ledger(orderNo?: string): Promise<ReturnType<typeof ledgerView>>;
  reset(): Promise<void>;
  configure(patch: { idempotentWriteBack?: boolean; supportsReversal?: boolean; preSettlementTtlMs?: number; pushEnabled?: boolean; bffUrl?: string; oneRegistrationPerSession?: boolean; cancelCutoffMinutes?: number }): Promise<void>;
  /** a signed call to the open API, as a client would make it */
  api(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export const TEST_CLIENT = { clientId: 'bff-test', secret: 'test-secret-0123456789' };

export async function startHis(config: Partial<HisSandboxConfigInput> = {}): Promise<RunningHis> {
  const sandbox = createHisSandbox({ clients: [TEST_CLIENT], push: { enabled: false }, ...config });
  const server = http.createServer(sandbox.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    url,
    sandbox,
    fault: async (rule) => void (await control('POST', '/sandbox/faults', rule)),
    faultRules: async () => (await control<{ rules: (FaultRule & { id: number })[] }>('GET', '/sandbox/faults')).rules,
    ledger: (orderNo) => control('GET', orderNo ? `/sandbox/ledger/${encodeURIComponent(orderNo)}` : '/sandbox/ledger'),
    reset: async () => void (await control('POST', '/sandbox/reset')),
    configure: async (patch) => void (await control('POST', '/sandbox/config', patch)),
    api: async (method, pathWithQuery, body, headers = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      const signed = signRequest(TEST_CLIENT.clientId, TEST_CLIENT.secret, method, pathWithQuery, text);
      const res = await fetch(url + pathWithQuery, {
        method,
        body: method === 'POST' ? text : undefined,
        headers: { 'content-type': 'application/json', ...signed, ...headers },
      });
      return { status: res.status, json: (await res.json()) as unknown };
    },
    stop: async () => {
      sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
