/**
 * A peer (HIS, the centre, WeChat Pay, Alipay, message push) that failed to answer. Thrown by the
 * adapters (bff/src/peers/http-client.ts is the one HTTP boundary, and re-exports it); flows read
 * it from here so that they depend on this distinction and not on an adapter's file. "The peer never
 * got it" (safe to retry) versus "we do not know" (must be confirmed by a query) is the distinction
 * every payment decision rests on.
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
