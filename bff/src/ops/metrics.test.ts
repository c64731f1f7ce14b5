import { EventEmitter } from 'node:events';
import { createBffMetrics } from './bff-metrics';
import { Registry } from './metrics';

describe('Prometheus text rendering', () => {
  it('renders a counter with HELP, TYPE and labelled samples', async () => {
    const r = new Registry();
    r.counter('mip_things_total', 'Things').inc({ kind: 'a' }, 2);
    expect(await r.render()).toBe('# HELP mip_things_total Things\n# TYPE mip_things_total counter\nmip_things_total{kind="a"} 2\n');
  });

  it('escapes backslashes, quotes and line breaks in label values', async () => {
    const r = new Registry();
    r.gauge('mip_g', 'G').set({ v: 'a"b\\c\nd' }, 1);
    expect(await r.render()).toContain('mip_g{v="a\\"b\\\\c\\nd"} 1');
  });

  it('renders histogram buckets cumulatively with +Inf, sum and count', async () => {
    const r = new Registry();
    const h = r.histogram('mip_d_seconds', 'D', [0.1, 1]);
    h.observe({ op: 'x' }, 0.05);
    h.observe({ op: 'x' }, 0.5);
    h.observe({ op: 'x' }, 5);
    const text = await r.render();
    expect(text).toContain('mip_d_seconds_bucket{op="x",le="0.1"} 1');
    expect(text).toContain('mip_d_seconds_bucket{op="x",le="1"} 2');
    expect(text).toContain('mip_d_seconds_bucket{op="x",le="+Inf"} 3');
    expect(text).toContain('mip_d_seconds_sum{op="x"} 5.55');
    expect(text).toContain('mip_d_seconds_count{op="x"} 3');
  });

  it('refuses to make a counter go down', () => {
    expect(() => new Registry().counter('mip_c_total', 'C').inc({}, -1)).toThrow();
  });

  it('refuses a metric name Prometheus would reject', () => {
    expect(() => new Registry().gauge('mip-bad', 'x')).toThrow();
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
