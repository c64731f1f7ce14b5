import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { PeerError, type PeerFailure } from '../domain/peer-error';
import { currentRequestId, requestContext } from '../obs/log';

/**
 * The one HTTP boundary to every peer (HIS, the centre, WeChat Pay, Alipay, message push).
 * It separates "the peer never got it" (safe to retry) from "we do not know" (must be confirmed
 * by a query), which is the distinction every payment decision above it rests on.
 */
export { PeerError, type PeerFailure };

export interface PeerRequest {
  peer: string;
  op: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  /** Status codes that are answers, not failures (e.g. 4xx business errors with a body). */
  acceptStatus?: (status: number) => boolean;
  /** the largest answer read (default MAX_RESPONSE_BYTES); a larger one is cut off as `broken` */
  maxResponseBytes?: number;
}

/**
 * No peer answer the BFF reads comes near this (the largest are day bills); a peer or a proxy
 * that sends without end must not exhaust the process's memory.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The answer's headers, read by name (case-insensitive); repeated headers joined with ", " as fetch's Headers does. */
export interface PeerHeaders {
  get(name: string): string | null;
}

export interface PeerResponse {
  status: number;
  headers: PeerHeaders;
  body: Buffer;
  text(): string;
}

export interface PeerCallEvent {
  peer: string;
  op: string;
  ms: number;
  status?: number;
  failure?: PeerFailure;
  requestId?: string;
}

/** Metrics and the per-order call log listen here. */
export const peerEvents = new EventEmitter();
peerEvents.setMaxListeners(50);

export async function peerRequest(req: PeerRequest): Promise<PeerResponse> {
  const started = performance.now();
  const requestId = currentRequestId();
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (requestId && !headers['x-request-id']) headers['x-request-id'] = requestId;
  const emit = (e: Partial<PeerCallEvent>) => {
    const ms = performance.now() - started;
    const ctx = requestContext.getStore();
    if (ctx) ctx.peerMs = (ctx.peerMs ?? 0) + ms;
    peerEvents.emit('call', { peer: req.peer, op: req.op, ms, requestId, ...e } satisfies PeerCallEvent);
  };
  let res: RawResponse;
  try {
    res = await send(req, headers);
  } catch (err) {
    const e = err as TransportError;
    emit({ failure: e.failure, ...(e.status !== undefined ? { status: e.status } : {}) });
    throw new PeerError(req.peer, req.op, e.failure, e.message, e.status);
  }
  const body = res.body;
  const ok = (res.status >= 200 && res.status < 300) || (req.acceptStatus?.(res.status) ?? false);
  if (!ok) {
    emit({ failure: 'http_status', status: res.status });
    throw new PeerError(req.peer, req.op, 'http_status', `HTTP ${res.status}`, res.status, body.toString('utf8').slice(0, 500));
  }
  emit({ status: res.status });
  return { status: res.status, headers: res.headers, body, text: () => body.toString('utf8') };
}

interface RawResponse {
  status: number;
  headers: PeerHeaders;
  body: Buffer;
}

/**
 * Node's own parsed headers (lower-case names) behind a Headers-like get(): building a fetch
 * Headers object per answer validated and copied every header of every peer call, and most
 * answers are never asked for one.
 */
class IncomingHeaders implements PeerHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }
}

/**
 * Request options per URL, parsed once: a process talks to a handful of peer URLs, and
 * new URL() plus its conversion to request options is a measurable part of a small call.
 */
const TARGETS = new Map<string, { protocol: 'http:' | 'https:'; options: http.RequestOptions }>();
const MAX_TARGETS = 512;

function target(raw: string): { protocol: 'http:' | 'https:'; options: http.RequestOptions } {
  let t = TARGETS.get(raw);
  if (t) return t;
  const url = new URL(raw); // throws on an invalid URL: the caller reports not_delivered
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
  const protocol = url.protocol;
  t = {
    protocol,
    options: {
      protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
    },
  };
  if (TARGETS.size >= MAX_TARGETS) TARGETS.clear();
  TARGETS.set(raw, t);
  return t;
}

type TransportError = Error & { failure: PeerFailure; status?: number };

/**
 * Kept-alive connections per scheme. node:http rather than fetch: the same semantics at a third
 * of the CPU per call (measured: ~0.2 ms against ~0.65 ms for a small JSON POST; the BFF makes
 * about ten peer calls per payment). Idle sockets are closed after 4 s, well before any peer's
 * keep-alive timeout, so a request never goes out on a connection the peer is closing.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 }),
};

const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * One HTTP exchange with a deadline covering connect, request and the whole answer. Fails with
 * the PeerFailure it amounts to: not_delivered only when no connection was made; a drop after
 * that is broken; the deadline is timeout.
 */
function send(req: PeerRequest, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let t: ReturnType<typeof target>;
    try {
      t = target(req.url);
    } catch {
      return reject(Object.assign(new Error(`invalid URL ${req.url}`), { failure: 'not_delivered' as const }));
    }
    const lib = t.protocol === 'https:' ? https : http;
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const h: http.OutgoingHttpHeaders = { ...headers };
    if (body) h['content-length'] = body.length;
    let settled = false;
    let status: number | undefined;
    const fail = (failure: PeerFailure, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.destroy();
      reject(Object.assign(new Error(message), { failure, status }));
    };
    const limit = req.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const r = lib.request({ ...t.options, method: req.method ?? 'POST', headers: h, agent: AGENTS[t.protocol] }, (m) => {
      status = m.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      // the peer answered, so it may have acted: an answer too large to read is an unknown outcome
      const tooLarge = () => fail('broken', `answer larger than ${limit} bytes`);
      if (Number(m.headers['content-length'] ?? 0) > limit) return tooLarge();
      m.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) return tooLarge();
        chunks.push(c);
      });
      m.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: status!, headers: new IncomingHeaders(m.headers), body: Buffer.concat(chunks) });
      });
      m.on('error', (e) => fail('broken', describe(e)));
      m.on('close', () => {
        if (!m.complete) fail('broken', 'connection closed in the middle of the answer');
      });
    });
    const timer = setTimeout(() => fail('timeout', `no answer within ${req.timeoutMs} ms`), req.timeoutMs);
    // refused/unresolvable: the request never left; anything else once connected (a reset, even on
    // a kept-alive socket) may have reached the peer: outcome unknown
    r.on('error', (e: NodeJS.ErrnoException) => fail(status === undefined && NOT_DELIVERED.has(e.code ?? '') ? 'not_delivered' : 'broken', describe(e)));
    r.end(body);
  });
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  return [e?.message, e?.code ?? e?.cause?.code].filter(Boolean).join(' ');
}
