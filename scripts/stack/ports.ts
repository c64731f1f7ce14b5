import fs from 'node:fs';
import net from 'node:net';

/**
 * Where listening ports are looked for: below the kernel's ephemeral range, which outbound
 * connections take their source ports from. A port the kernel hands out for `listen(0)` is free
 * only for a moment: under load (several stacks, thousands of connections) an outbound connection
 * took it before the service bound it (EADDRINUSE, an e2e stack that did not start).
 */
function listenRange(): [number, number] {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 12_000) return [Math.max(10_000, low - 22_000), low - 1];
  } catch {
    // not Linux: the usual default
  }
  return [10_768, 32_767];
}

const handedOut = new Set<number>();

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free loopback port for a service of a local stack: random in listenRange, never one this
 * process handed out before, checked by binding it. (Another process may still bind it first;
 * random choice over some 20,000 ports makes that rare.) `alsoFree`: a second port at that offset
 * must be free and in the range too (a Redis Cluster node's bus port is its port + 10000).
 */
export async function freePort(opts: { alsoFree?: number } = {}): Promise<number> {
  const [lo, top] = listenRange();
  const hi = top - (opts.alsoFree ?? 0);
  for (let i = 0; i < 200 && hi >= lo; i++) {
    const port = lo + Math.floor(Math.random() * (hi - lo + 1));
    const second = opts.alsoFree ? port + opts.alsoFree : undefined;
    if (handedOut.has(port) || (second !== undefined && handedOut.has(second))) continue;
    if ((await tryListen(port)) && (second === undefined || (await tryListen(second)))) {
      handedOut.add(port);
      if (second !== undefined) handedOut.add(second);
      return port;
    }
  }
  throw new Error(`no free port found in ${lo}-${hi}`);
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
