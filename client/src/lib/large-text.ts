/** Large-text (elderly) mode: one switch for the whole app, remembered in storage. */
import { useEffect, useState } from 'react';
import { readGlobal, writeGlobal } from './storage';

const KEY = 'largeText';
let current: boolean | undefined;
const listeners = new Set<(v: boolean) => void>();

export function isLargeText(): boolean {
  if (current === undefined) current = readGlobal<boolean>(KEY) === true;
  return current;
}

export function setLargeText(v: boolean): void {
  current = v;
  writeGlobal(KEY, v);
  listeners.forEach((l) => l(v));
}

/** For tests: forget the cached value so the next read comes from storage. */
export function resetLargeTextCache(): void {
  current = undefined;
}

export function useLargeText(): [boolean, (v: boolean) => void] {
  const [v, setV] = useState(isLargeText);
  useEffect(() => {
    listeners.add(setV);
    setV(isLargeText());
    return () => {
      listeners.delete(setV);
    };
  }, []);
  return [v, setLargeText];
}
