/**
 * After the platform's pay call says "ok", the BFF decides: poll GET /api/orders/:orderNo with
 * back-off until the state is final (or needs a person), or the time limit passes.
 */
import type { OrderView } from '@mip/shared/src/contract/schemas';
import { isFinal } from '@mip/shared/src/order-state';
import { call } from './api';

export const pollTiming = {
  firstDelayMs: 1000,
  factor: 1.6,
  maxDelayMs: 5000,
  limitMs: 60_000,
};

export function isSettled(order: OrderView): boolean {
  return isFinal(order.state) || order.state === 'manual_review';
}

export interface PollHandle {
  stop(): void;
  done: Promise<{ order: OrderView | null; timedOut: boolean }>;
}

export interface PollOptions {
  /** stop early for this order (default: settled) */
  stopWhen?: (o: OrderView) => boolean;
  onError?: (e: unknown) => void;
}

export function pollOrder(orderNo: string, onUpdate: (o: OrderView) => void, opts: PollOptions = {}): PollHandle {
  const stopWhen = opts.stopWhen ?? isSettled;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const started = Date.now();
  const done = (async () => {
    let delay = pollTiming.firstDelayMs;
    let last: OrderView | null = null;
    for (let first = true; !stopped; first = false) {
      if (!first) {
        if (Date.now() - started >= pollTiming.limitMs) return { order: last, timedOut: true };
        await new Promise<void>((r) => {
          wake = r;
          timer = setTimeout(r, delay);
        });
        delay = Math.min(pollTiming.maxDelayMs, delay * pollTiming.factor);
        if (stopped) break;
      }
      try {
        const { order } = await call('getOrder', { params: { orderNo } });
        if (stopped) break;
        last = order;
        onUpdate(order);
        if (stopWhen(order)) return { order, timedOut: false };
      } catch (e) {
        if (stopped) break;
        opts.onError?.(e);
      }
    }
    return { order: last, timedOut: false };
  })();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    },
    done,
  };
}
