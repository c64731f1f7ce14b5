/**
 * Debian's Chromium, as the browser tests and the benchmark launch it (flags checked in the
 * toolchain notes: no sandbox inside the container, nothing phoning home, no download of a
 * browser of its own).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
