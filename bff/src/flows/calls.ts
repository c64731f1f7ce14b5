import { PeerError } from '../domain/peer-error';
import type { Deps } from './deps';
import { currentRequestId } from '../obs/log';

/**
 * Runs one peer call on behalf of an order and records it on the order's call log (peer, op,
 * duration, outcome) for staff. The log never holds request bodies: they carry personal data.
 */
export async function tracked<T>(deps: Pick<Deps, 'orders' | 'log' | 'now'>, orderNo: string, peer: string, op: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome = 'ok';
  let detail: string | undefined;
  try {
    const result = await fn();
    // a refusal is an answer, not an error: record it as what it is (HIS write-back/reversal "rejected",
    // the centre's outcomes other than done — refused, unknown, abnormal… each with its reason
    // (national/port.ts) —, channel refund "failed")
    const r = result as { outcome?: unknown; kind?: unknown; status?: unknown; code?: unknown; reason?: unknown };
    if (r && typeof r === 'object') {
      if (r.outcome === 'rejected') (outcome = 'rejected'), (detail = `${String(r.code ?? '')} ${String(r.reason ?? '')}`.trim());
      else if (typeof r.kind === 'string' && typeof r.reason === 'string') (outcome = r.kind), (detail = r.reason.slice(0, 300));
      else if (r.status === 'failed') outcome = 'failed';
    }
    return result;
  } catch (err) {
    outcome = err instanceof PeerError ? err.failure : (err as Error).name;
    detail = (err as Error).message.slice(0, 300);
    throw err;
  } finally {
    const rec = { at: deps.now().toISOString(), peer, op, ms: Math.round(performance.now() - started), outcome, requestId: currentRequestId(), ...(detail ? { detail } : {}) };
    deps.orders.appendCall(orderNo, rec).catch((e: Error) => deps.log.warn({ err: e.message, orderNo }, 'could not record peer call'));
  }
}
