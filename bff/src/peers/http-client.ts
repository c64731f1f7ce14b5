import { EventEmitter } from 'node:events';
import { currentRequestId, requestContext } from '../obs/log';

/**
 * The one HTTP boundary to every peer (HIS, the centre, WeChat Pay, Alipay, message push).
 * It separates "the peer never got it" (safe to retry) from "we do not know" (must be confirmed
 * by a query), which is the distinction every payment decision above it rests on.
 */
export type PeerFailure =
  | 'not_delivered' // connection refused / DNS: the request never reached the peer
  | 'timeout' //       sent, no answer in time: outcome unknown
  | 'broken' //        connection dropped mid-way: outcome unknown
  | 'http_status'; //  the peer answered with a non-2xx status

export class PeerError extends Error {
  constructor(
    readonly peer: string,
    readonly op: string,
    readonly failure: PeerFailure,
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(`${peer} ${op}: ${message}`);
    this.name = 'PeerError';
  }

  /** True when the peer may have acted on the request. */
  get outcomeUnknown(): boolean {
    return this.failure === 'timeout' || this.failure === 'broken' || (this.failure === 'http_status' && (this.status ?? 0) >= 500);
  }
}

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
}

export interface PeerResponse {
  status: number;
  headers: Headers;
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
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    const failure = classify(err);
    emit({ failure });
    throw new PeerError(req.peer, req.op, failure, describe(err));
  }
  let body: Buffer;
  try {
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    const failure = classify(err) === 'not_delivered' ? 'broken' : classify(err);
    emit({ failure, status: res.status });
    throw new PeerError(req.peer, req.op, failure, describe(err), res.status);
  }
  const ok = (res.status >= 200 && res.status < 300) || (req.acceptStatus?.(res.status) ?? false);
  if (!ok) {
    emit({ failure: 'http_status', status: res.status });
    throw new PeerError(req.peer, req.op, 'http_status', `HTTP ${res.status}`, res.status, body.toString('utf8').slice(0, 500));
  }
  emit({ status: res.status });
  return { status: res.status, headers: res.headers, body, text: () => body.toString('utf8') };
}

function classify(err: unknown): PeerFailure {
  const e = err as { name?: string; cause?: { code?: string }; code?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code ?? e?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH') return 'not_delivered';
  return 'broken';
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return [e?.message, e?.cause?.code].filter(Boolean).join(' ');
}
