/**
 * How the local stack (npm start, the tests, the benchmark) wires the BFF to its sandbox peers.
 * Each peer folder under sandbox/ exports a `stack.ts` implementing PeerStackModule: it makes
 * fresh credentials for both sides (no private key of anyone else is ever committed), the
 * sandbox's own configuration, and the BFF configuration section that points at it.
 */
export interface StackUrls {
  /** the BFF as patients and peers reach it (also the public base URL peers call back): the
   *  only instance, or the round-robin proxy in front of several (scripts/stack/proxy.ts) */
  bff: string;
  national: string;
  his: string;
  wechat: string;
  alipay: string;
}

export type PeerName = 'national' | 'his' | 'wechat' | 'alipay';

/** Credentials of every peer, as generated for one stack. */
export type StackCredentials = Record<PeerName, Record<string, unknown>>;

export interface PeerStackModule {
  name: PeerName;
  /** entry point of the sandbox server, relative to the repository root */
  entry: string;
  makeCredentials(): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** written to a JSON file passed to the sandbox as SANDBOX_CONFIG */
  sandboxConfig(creds: StackCredentials, urls: StackUrls): Record<string, unknown>;
  /** merged into the BFF configuration (e.g. { national: {...} } or { channels: { wechat: {...} } }) */
  bffConfig(creds: StackCredentials, urls: StackUrls): Record<string, unknown>;
}

/** A process the stack runs (Redis, the BFF, a sandbox) on a fixed port across restarts. */
export interface ProcessHandle {
  port: number;
  url: string;
  start(): Promise<void>;
  /** graceful: SIGTERM, then wait for the exit */
  stop(): Promise<void>;
  /** SIGKILL: the process gets no chance to finish anything */
  kill(): Promise<void>;
  /** ends the process (each handle says how) and starts it again on the same port */
  restart(): Promise<void>;
}
