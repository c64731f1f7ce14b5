/**
 * After the platform's pay call says "ok", the BFF decides. Instead of polling, the page asks
 * GET /api/orders/:orderNo with a server-side wait (waitFor = the state it has, timeout ≤ 25 s):
 * the BFF answers as soon as the state has changed, so a normal payment takes two requests
 * (awaiting_payment → paid, paid → completed). A request that fails, or an unchanged answer that
 * comes back early, is followed by a slower retry, until the time limit passes.
 */
import type { OrderView } from '@mip/shared/src/contract/schemas';
import type { OrderState } from '@mip/shared/src/order-state';
import { isFinal } from '@mip/shared/src/order-state';
import { call } from './api';

export const pollTiming = {
  /** the server-side wait of one request, in seconds (the contract allows 1–25) */
  waitSeconds: 20,
  /** how much longer than the wait the request may take before the client gives up on it */
  requestMarginMs: 10_000,
  /** the slower retry after a failed request or an early unchanged answer */
  retryDelayMs: 3000,
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
  /** the state the order is expected in when the page opens (the first request already waits for it to change) */
  expect?: OrderState;
  onError?: (e: unknown) => void;
}

export function pollOrder(orderNo: string, onUpdate: (o: OrderView) => void, opts: PollOptions = {}): PollHandle {
  const stopWhen = opts.stopWhen ?? isSettled;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const started = Date.now();
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      wake = r;
      timer = setTimeout(r, ms);
    });
  const done = (async () => {
    let last: OrderView | null = null;
    let waitFor: OrderState | undefined = opts.expect;
    while (!stopped) {
      const left = pollTiming.limitMs - (Date.now() - started);
      if (left <= 0) return { order: last, timedOut: true };
      const seconds = Math.max(1, Math.min(pollTiming.waitSeconds, Math.ceil(left / 1000)));
      const asked = Date.now();
      try {
        const { order } = await call('getOrder', {
          params: { orderNo },
          ...(waitFor ? { query: { waitFor, timeout: String(seconds) }, timeoutMs: seconds * 1000 + pollTiming.requestMarginMs } : {}),
        });
        if (stopped) break;
        last = order;
        onUpdate(order);
        if (stopWhen(order)) return { order, timedOut: false };
        const early = order.state === waitFor && Date.now() - asked < (seconds * 1000) / 2;
        waitFor = order.state;
        if (early) await pause(pollTiming.retryDelayMs); // the BFF could not wait (busy, shutting down)
      } catch (e) {
        if (stopped) break;
        opts.onError?.(e);
        await pause(pollTiming.retryDelayMs);
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
