import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationAck, NotificationRequest } from '../../../bff/src/channels/port';

export interface Running {
  url: string;
  close(): Promise<void>;
}

export async function serve(handler: http.RequestListener): Promise<Running & { server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function body(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A stand-in for the national centre's internal endpoints used by channel sandboxes. */
export interface FakeNational extends Running {
  issued: { payAuthNo: string; idNo: string; name: string; channel: string }[];
  pays: { payOrdId: string; payAuthNo: string; channel: string; cashFen: number; cashTradeNo: string }[];
  /** next /pay answers ok:false with this code */
  refuseNextPay?: { code: string; message: string };
  /** issue numbers with another prefix (to test the AUTH check) */
  payAuthPrefix?: string;
}

export async function startFakeNational(): Promise<FakeNational> {
  let n = 0;
  const state = { issued: [] as FakeNational['issued'], pays: [] as FakeNational['pays'] } as FakeNational;
  const running = await serve(async (req, res) => {
    const b = JSON.parse((await body(req)).toString('utf8') || '{}') as Record<string, unknown>;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/sandbox/internal/pay-auth') {
      const payAuthNo = `${state.payAuthPrefix ?? 'AUTH'}${Date.now()}${String(++n).padStart(6, '0')}`;
      state.issued.push({ payAuthNo, idNo: String(b.idNo), name: String(b.name), channel: String(b.channel) });
      res.end(JSON.stringify({ payAuthNo, expiresAt: new Date(Date.now() + 300_000).toISOString() }));
      return;
    }
    if (req.url === '/sandbox/internal/pay') {
      const refuse = state.refuseNextPay;
      state.refuseNextPay = undefined;
      if (refuse) return void res.end(JSON.stringify({ ok: false, ...refuse }));
      const known = state.issued.some((i) => i.payAuthNo === b.payAuthNo);
      if (!known) return void res.end(JSON.stringify({ ok: false, code: '2001', message: 'payAuthNo 无效' }));
      state.pays.push(b as unknown as FakeNational['pays'][number]);
      res.end(JSON.stringify({ ok: true, ordStas: '6', traceTime: '2026-01-01 10:00:00' }));
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  return Object.assign(state, running);
}

/** The BFF's notification endpoint, reduced: raw bytes to the adapter, its ack back to the channel. */
export interface Receiver extends Running {
  received: NotificationRequest[];
  /** how to answer; default: always the given ack */
  answer: (req: NotificationRequest) => Promise<NotificationAck>;
  waitFor(count: number, timeoutMs?: number): Promise<NotificationRequest[]>;
}

export async function startReceiver(answer: Receiver['answer']): Promise<Receiver> {
  const r = { received: [] as NotificationRequest[], answer } as Receiver;
  const running = await serve(async (req, res) => {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
    const n: NotificationRequest = { headers, rawBody: await body(req) };
    r.received.push(n);
    const ack = await r.answer(n);
    res.statusCode = ack.status;
    if (ack.contentType) res.setHeader('content-type', ack.contentType);
    res.end(ack.body ?? '');
  });
  r.waitFor = async (count, timeoutMs = 5000) => {
    const until = Date.now() + timeoutMs;
    while (r.received.length < count) {
      if (Date.now() > until) throw new Error(`only ${r.received.length} of ${count} notifications arrived`);
      await new Promise((res) => setTimeout(res, 20));
    }
    return r.received;
  };
  return Object.assign(r, running);
}

export async function postJson<T>(url: string, payload: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return (await res.json()) as T;
}

export async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}
