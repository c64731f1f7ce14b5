import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ProcessHandle } from './types';

export interface ServiceHandle extends ProcessHandle {
  name: string;
  logFile: string;
  readonly running: boolean;
  readonly pid: number | undefined;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * Node's arguments for a TypeScript entry point: its bundle when jest's global set-up made one for
 * this run (test/support/compile-stack.js, MIP_STACK_COMPILED; about 0.3 s to listen instead of
 * about 2 s), else the source through tsx.
 */
export function nodeArgs(entry: string): string[] {
  const file = path.resolve(ROOT, entry);
  const dir = process.env.MIP_STACK_COMPILED;
  const bundle = dir ? path.join(dir, path.relative(ROOT, file).replace(/\.ts$/, '.js')) : undefined;
  return bundle && fs.existsSync(bundle) ? ['--enable-source-maps', bundle] : ['--import', 'tsx', file];
}

/**
 * Runs a TypeScript entry point in its own Node process (`nodeArgs`) and waits for the
 * {"event":"listening"} line it prints. Output goes to a log file next to the stack's data.
 */
export function service(opts: { name: string; entry: string; port: number; env: Record<string, string>; logDir: string }): ServiceHandle {
  let child: ChildProcess | undefined;
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const waitExit = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });

  const handle: ServiceHandle = {
    name: opts.name,
    port: opts.port,
    url: `http://127.0.0.1:${opts.port}`,
    logFile,
    get pid() {
      return child?.pid;
    },
    get running() {
      return !!child && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      fs.mkdirSync(opts.logDir, { recursive: true });
      const log = fs.createWriteStream(logFile, { flags: 'a' });
      // MIP_NODE_ARGS: extra Node flags for profiling runs (e.g. --cpu-prof), never set by default
      const extra = (opts.env.MIP_NODE_ARGS ?? '').split(' ').filter(Boolean);
      child = spawn(process.execPath, [...extra, ...nodeArgs(opts.entry)], {
        cwd: ROOT,
        env: { ...process.env, ...opts.env, PORT: String(opts.port), NODE_ENV: process.env.NODE_ENV ?? 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const c = child;
      c.stderr!.pipe(log);
      await new Promise<void>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`${opts.name} did not start within 30 s; see ${logFile}`)), 30_000);
        const onData = (d: Buffer) => {
          log.write(d);
          buf += d.toString('utf8');
          if (buf.includes('"event":"listening"')) {
            clearTimeout(timer);
            c.stdout!.off('data', onData);
            c.stdout!.pipe(log);
            resolve();
          }
          if (buf.length > 100_000) buf = buf.slice(-1000);
        };
        c.stdout!.on('data', onData);
        c.once('exit', (code, sig) => {
          clearTimeout(timer);
          reject(new Error(`${opts.name} exited (${code ?? sig}) before listening; see ${logFile}`));
        });
      });
    },
    async kill() {
      child?.kill('SIGKILL');
      await waitExit();
    },
    async stop() {
      if (!handle.running) return;
      child?.kill('SIGTERM');
      const t = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await waitExit();
      clearTimeout(t);
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
  };
  return handle;
}
