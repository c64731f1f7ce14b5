/**
 * A small Prometheus registry rendering the text exposition format (version 0.0.4). Written
 * here rather than taken from a library because the BFF needs only counters, gauges and
 * histograms with fixed label sets, and every added runtime dependency is one more to audit.
 */
export type Labels = Record<string, string>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

abstract class Metric {
  protected readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'gauge' | 'histogram') {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
  }

  protected slot(labels: Labels): { labels: Labels; value: number } {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { ...labels }, value: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  header(): string[] {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
  }

  render(): string[] {
    return [...this.header(), ...[...this.series.values()].map((s) => `${this.name}${labelText(s.labels)} ${formatValue(s.value)}`)];
  }
}

export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    this.slot(labels).value += by;
  }
  /** For counters read from elsewhere (process CPU time): the source already only goes up. */
  setTotal(labels: Labels, total: number): void {
    this.slot(labels).value = total;
  }
}

export class Gauge extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void {
    this.slot(labels).value = value;
  }
  clear(): void {
    this.series.clear();
  }
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Metric {
  private readonly hist = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, readonly buckets: readonly number[] = DEFAULT_BUCKETS) {
    super(name, help, 'histogram');
  }

  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let h = this.hist.get(key);
    if (!h) {
      h = { labels: { ...labels }, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.hist.set(key, h);
    }
    // Stored per bucket, made cumulative when rendered.
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) h.counts[i]++;
    h.sum += value;
    h.count++;
  }

  override render(): string[] {
    const out = this.header();
    for (const h of this.hist.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += h.counts[i];
        out.push(`${this.name}_bucket${labelText({ ...h.labels, le: formatValue(b) })} ${cumulative}`);
      });
      out.push(`${this.name}_bucket${labelText({ ...h.labels, le: '+Inf' })} ${h.count}`);
      out.push(`${this.name}_sum${labelText(h.labels)} ${formatValue(h.sum)}`);
      out.push(`${this.name}_count${labelText(h.labels)} ${h.count}`);
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  private readonly collectors: (() => Promise<void> | void)[] = [];

  private add<M extends Metric>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.push(m);
    return m;
  }
  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** Runs before each render: gauges read at scrape time (orders by state, queue depth). */
  onCollect(fn: () => Promise<void> | void): void {
    this.collectors.push(fn);
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map((c) => c()));
    return this.metrics.flatMap((m) => m.render()).join('\n') + '\n';
  }
}
