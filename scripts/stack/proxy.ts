/**
 * A small round-robin HTTP proxy in front of several BFF instances on loopback — what a
 * hospital's load balancer (nginx, SLB) does in production. The stack starts it as its own
 * process when `bffInstances > 1`; `urls.bff`, and therefore the public base URL the peers call
 * back, point at it.
 *
 * Failover: an instance that refuses the connection (killed, restarting) is skipped and the
 * request goes to the next one, so a dead instance never fails a request another could serve.
 * An idempotent request (GET…) is also tried again elsewhere when a kept-alive connection turns
 * out to be dead before any answer came back. A POST in flight on an instance that dies gets
 * 502: the instance may have acted on it, so only the client (which knows whether the call is
 * idempotent — our API's are, by Idempotency-Key or by design) may repeat it.
 *
 *   PROXY_TARGETS=http://127.0.0.1:8081,http://127.0.0.1:8082 PORT=8080 tsx scripts/stack/proxy.ts
 */
import http from 'node:http';

export interface ProxyOptions {
  targets: string[];
  port: number;
  host?: string;
  /** how long a refusing target is skipped before it is tried again */
  downForMs?: number;
  /** bodies are buffered (so a request can go to another target) up to this size; larger ones get 413 */
  bufferLimitBytes?: number;
}

export interface ProxyStats {
  requests: number;
  failovers: number;
  failed: number;
  perTarget: Record<string, number>;
}

interface Target {
  url: URL;
  downUntil: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether the request may go to another target after this error. A refused connection proves the
 * target never got it. A reset of a kept-alive connection does not: the instance may have read
 * the request and died while acting on it — so, like nginx (proxy_next_upstream without
 * non_idempotent), only idempotent methods are repeated then. (Found by the fault suite: a POST
 * repeated this way used a single-use authorization code twice.)
 */
function neverReached(err: NodeJS.ErrnoException, reusedSocket: boolean, method: string): boolean {
  if (err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return true;
  return reusedSocket && IDEMPOTENT.has(method) && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
}

export function createProxy(opts: ProxyOptions): { server: http.Server; stats: ProxyStats } {
  const targets: Target[] = opts.targets.map((t) => ({ url: new URL(t), downUntil: 0 }));
  const downForMs = opts.downForMs ?? 1000;
  const bufferLimit = opts.bufferLimitBytes ?? 1024 * 1024;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });
  const stats: ProxyStats = { requests: 0, failovers: 0, failed: 0, perTarget: Object.fromEntries(opts.targets.map((t) => [t, 0])) };
  let next = 0;

  /** Live targets in round-robin order, then the ones marked down (still tried: they may be back). */
  function order(): Target[] {
    const now = Date.now();
    const up = targets.filter((t) => t.downUntil <= now);
    const down = targets.filter((t) => t.downUntil > now);
    const start = up.length ? next++ % up.length : 0;
    return [...up.slice(start), ...up.slice(0, start), ...down];
  }

  function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, candidates: Target[], attempt: number): void {
    const target = candidates[attempt % candidates.length];
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    // the edge: the address we saw replaces whatever the client claimed (rate limits key on it)
    headers['x-forwarded-for'] = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['content-length'] = String(body.length);
    const up = http.request(
      { host: target.url.hostname, port: target.url.port, method: req.method, path: req.url, headers, agent },
      (upRes) => {
        target.downUntil = 0;
        stats.perTarget[target.url.origin] = (stats.perTarget[target.url.origin] ?? 0) + 1;
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(upRes.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
        res.writeHead(upRes.statusCode ?? 502, out);
        upRes.pipe(res);
        upRes.on('error', () => res.destroy());
      },
    );
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      if (neverReached(err, up.reusedSocket, req.method ?? 'GET') && attempt + 1 < candidates.length * 2) {
        if (err.code === 'ECONNREFUSED') target.downUntil = Date.now() + downForMs;
        stats.failovers++;
        // every target once; then, after a short pause, each once more (one may be back by then)
        const pause = attempt + 1 >= candidates.length ? 250 : 0;
        setTimeout(() => forward(req, res, body, candidates, attempt + 1), pause);
        return;
      }
      stats.failed++;
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'PEER_UNAVAILABLE', message: `no BFF instance answered (${err.code ?? err.message})` } }));
    });
    up.end(body);
  }

  const server = http.createServer((req, res) => {
    stats.requests++;
    if (req.url === '/__proxy/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(stats));
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    // like a load balancer's client_max_body_size: nothing the BFF accepts is this big
    const tooLarge = () => {
      stats.failed++;
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'BODY_TOO_LARGE', message: '请求内容过大' } }));
    };
    if (declared > bufferLimit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      chunks.push(c);
      if (size > bufferLimit) {
        refused = true;
        chunks.length = 0;
        tooLarge();
      }
    });
    req.on('end', () => {
      if (!refused) forward(req, res, Buffer.concat(chunks), order(), 0);
    });
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return { server, stats };
}

export async function startProxy(opts: ProxyOptions): Promise<{ server: http.Server; stats: ProxyStats; url: string; close(): Promise<void> }> {
  const p = createProxy(opts);
  await new Promise<void>((resolve) => p.server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const addr = p.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    ...p,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        p.server.closeAllConnections();
        p.server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const targets = (process.env.PROXY_TARGETS ?? '').split(',').filter(Boolean);
  if (!targets.length) {
    process.stderr.write('PROXY_TARGETS is required (comma-separated base URLs)\n');
    process.exit(1);
  }
  void startProxy({ targets, port: Number(process.env.PORT ?? 0) }).then((p) => {
    const port = Number(new URL(p.url).port);
    process.stdout.write(JSON.stringify({ event: 'listening', name: 'bff-proxy', port, targets }) + '\n');
    const stop = () => void p.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
