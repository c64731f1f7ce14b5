import { useCallback, useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';

export type Loadable<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: unknown }
  | { status: 'success'; data: T; error?: undefined };

/** Runs `load` on mount (and on reload()); the page renders loading / error / success from it. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loadable<T> & { reload: () => void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [n, setN] = useState(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    let current = true;
    setState({ status: 'loading' });
    load().then(
      (data) => current && setState({ status: 'success', data }),
      (error) => current && setState({ status: 'error', error }),
    );
    return () => {
      current = false;
      alive.current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}

/** Calls `fn` when the page is shown again (not on its first show, which the mount already covers). */
export function useShownAgain(fn: () => void): void {
  const first = useRef(true);
  const latest = useRef(fn);
  latest.current = fn;
  useDidShow(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    latest.current();
  });
}

/**
 * An action that must not run twice at once (the pay and order buttons): a ref blocks a second tap
 * in the same frame, the state disables the button and shows the busy label.
 */
export function useGuardedAction(): { busy: boolean; run: (fn: () => Promise<void>) => Promise<void> } {
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(async (fn: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      await fn();
    } finally {
      inFlight.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);
  return { busy, run };
}

/** The current time, again every `everyMs` while `active` (countdowns). */
export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  return now;
}

/**
 * Reloads a few seconds after `count` grows (an unpaid order passed its deadline: the BFF
 * releases it by itself, the page shows the release without the patient doing anything).
 */
export function useReloadWhen(count: number, reload: () => void, afterMs = 3000): void {
  const last = useRef(count);
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    const grew = count > last.current;
    last.current = count;
    if (!grew) return undefined;
    const t = setTimeout(() => reloadRef.current(), afterMs);
    return () => clearTimeout(t);
  }, [count, afterMs]);
}
