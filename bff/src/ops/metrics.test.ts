import { EventEmitter } from 'node:events';
import { createBffMetrics } from './bff-metrics';

describe('Prometheus text rendering (prom-client)', () => {
  const events = new EventEmitter();
  const m = createBffMetrics({ orders: { countByState: async () => ({}) }, queue: { depth: async () => ({ ready: 0, pending: 0, delayed: 0, dead: 0 }) }, log: { warn: () => undefined } }, { events });
  afterAll(() => m.close());

  it('renders a counter with HELP, TYPE and labelled samples', async () => {
    events.emit('call', { peer: 'wechat', op: 'query', ms: 3 });
    const text = await m.registry.render();
    expect(text).toContain('# HELP mip_peer_calls_total Calls to peers (HIS, centre, WeChat, Alipay) by outcome\n# TYPE mip_peer_calls_total counter\n');
    expect(text).toContain('mip_peer_calls_total{peer="wechat",op="query",outcome="ok"} 1');
  });

  it('escapes backslashes, quotes and line breaks in label values', async () => {
    events.emit('call', { peer: 'his', op: 'a"b\\c\nd', ms: 1 });
    expect(await m.registry.render()).toContain('mip_peer_calls_total{peer="his",op="a\\"b\\\\c\\nd",outcome="ok"} 1');
  });

  it('renders histogram buckets cumulatively with +Inf, sum and count', async () => {
    for (const ms of [5, 500, 50_000]) events.emit('call', { peer: 'alipay', op: 'h', ms });
    const text = await m.registry.render();
    expect(text).toContain('mip_peer_call_duration_seconds_bucket{le="0.01",peer="alipay",op="h"} 1');
    expect(text).toContain('mip_peer_call_duration_seconds_bucket{le="1",peer="alipay",op="h"} 2');
    expect(text).toContain('mip_peer_call_duration_seconds_bucket{le="+Inf",peer="alipay",op="h"} 3');
    expect(text).toContain('mip_peer_call_duration_seconds_sum{peer="alipay",op="h"} 50.505');
    expect(text).toContain('mip_peer_call_duration_seconds_count{peer="alipay",op="h"} 3');
  });

  it("includes prom-client's default process metrics", async () => {
    const text = await m.registry.render();
    for (const name of ['process_cpu_user_seconds_total', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) expect(text).toContain(`# TYPE ${name} `);
  });
});

describe('the BFF metrics', () => {
  const events = new EventEmitter();
  const deps = {
    orders: { countByState: async () => ({ completed: 3, manual_review: 1 }) },
    queue: { depth: async () => ({ ready: 2, pending: 1, delayed: 4, dead: 0 }) },
    log: { warn: () => undefined },
  };
  const m = createBffMetrics(deps, { events });
  afterAll(() => m.close());

  it('counts peer calls and their failures from the peer event stream', async () => {
    events.emit('call', { peer: 'his', op: 'writeBack', ms: 12 });
    events.emit('call', { peer: 'his', op: 'writeBack', ms: 1500, failure: 'timeout' });
    const text = await m.registry.render();
    expect(text).toContain('mip_peer_calls_total{peer="his",op="writeBack",outcome="ok"} 1');
    expect(text).toContain('mip_peer_calls_total{peer="his",op="writeBack",outcome="timeout"} 1');
    expect(text).toContain('mip_peer_call_errors_total{peer="his",op="writeBack",failure="timeout"} 1');
    expect(text).toContain('mip_peer_call_duration_seconds_count{peer="his",op="writeBack"} 2');
  });

  it('reports orders by every state, zero included', async () => {
    const text = await m.registry.render();
    expect(text).toContain('mip_orders{state="completed"} 3');
    expect(text).toContain('mip_orders{state="reversed"} 0');
  });

  it('reports the queue depth by job state', async () => {
    expect(await m.registry.render()).toContain('mip_queue_jobs{state="delayed"} 4');
  });

  it('reports process memory and CPU', async () => {
    const text = await m.registry.render();
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).toMatch(/process_cpu_seconds_total [\d.e-]+/);
  });

  it('still answers when Redis does not, and says which collector failed', async () => {
    const stuck = createBffMetrics({ ...deps, orders: { countByState: () => new Promise<Record<string, number>>(() => undefined) } }, { events: new EventEmitter(), collectTimeoutMs: 50 });
    const text = await stuck.registry.render();
    stuck.close();
    expect(text).toContain('mip_scrape_error{collector="orders"} 1');
  });
});
