// Pure data transforms used by the pages: rolling statistics for reward curves, histograms of
// episode returns, fixed-size streaming series, evaluation list queries, formatting.

// Rolling mean and standard deviation over the last `window` points (fewer at the start).
// NaN inputs are skipped. Returns arrays as long as `values`.
export function rollingStats(
  values: ArrayLike<number>,
  window: number,
): { mean: number[]; lower: number[]; upper: number[] } {
  const n = values.length;
  const mean = new Array<number>(n);
  const lower = new Array<number>(n);
  const upper = new Array<number>(n);
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (Number.isFinite(v)) {
      sum += v;
      sumSq += v * v;
      count++;
    }
    if (i >= window) {
      const old = values[i - window];
      if (Number.isFinite(old)) {
        sum -= old;
        sumSq -= old * old;
        count--;
      }
    }
    if (count === 0) {
      mean[i] = lower[i] = upper[i] = NaN;
      continue;
    }
    const m = sum / count;
    const sd = Math.sqrt(Math.max(0, sumSq / count - m * m));
    mean[i] = m;
    lower[i] = m - sd;
    upper[i] = m + sd;
  }
  return { mean, lower, upper };
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

// Equal-width bins over [min, max] of the values; all values equal → one bin.
export function histogram(values: number[], bins = 20): HistogramBin[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ from: min, to: max, count: finite.length }];
  const width = (max - min) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    from: min + i * width,
    to: i === bins - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (const v of finite) out[Math.min(bins - 1, Math.floor((v - min) / width))].count++;
  return out;
}

// A fixed-capacity time series for streaming charts: appending is O(1) amortised, old points
// fall off, and data() returns uPlot's column arrays.
export class StreamSeries {
  private xs: number[] = [];
  private ys: number[][];
  constructor(
    readonly capacity: number,
    readonly columns: number,
  ) {
    this.ys = Array.from({ length: columns }, () => []);
  }
  get length(): number {
    return this.xs.length;
  }
  push(x: number, values: number[]): void {
    // Out-of-order points (a resync replaying history) replace the tail from their x on.
    if (this.xs.length > 0 && x <= this.xs[this.xs.length - 1]) {
      let i = this.xs.length;
      while (i > 0 && this.xs[i - 1] >= x) i--;
      this.xs.length = i;
      for (const y of this.ys) y.length = i;
    }
    this.xs.push(x);
    for (let c = 0; c < this.columns; ++c) this.ys[c].push(values[c] ?? NaN);
    if (this.xs.length > this.capacity * 1.25) this.trim();
  }
  clear(): void {
    this.xs = [];
    this.ys = this.ys.map(() => []);
  }
  private trim(): void {
    const drop = this.xs.length - this.capacity;
    this.xs = this.xs.slice(drop);
    this.ys = this.ys.map((y) => y.slice(drop));
  }
  data(): [number[], ...number[][]] {
    if (this.xs.length > this.capacity) this.trim();
    return [this.xs, ...this.ys];
  }
  last(column = 0): number | undefined {
    const y = this.ys[column];
    return y.length ? y[y.length - 1] : undefined;
  }
}

export interface EvaluationFilters {
  agent_id?: string;
  agent_type?: string;
  environment?: string;
  status?: string;
  since?: string; // datetime-local or ISO-8601
  until?: string;
}

// The server lists newest first; oldest first is the same list read from its end. Returns the
// query string for page `page` (0-based) and whether the page's rows must be reversed.
export function evaluationQuery(
  filters: EvaluationFilters,
  page: number,
  pageSize: number,
  order: 'newest' | 'oldest',
  total: number | null,
): { query: string; reverse: boolean; limit: number; offset: number } {
  const params = new URLSearchParams();
  for (const key of ['agent_id', 'agent_type', 'environment', 'status'] as const) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  for (const key of ['since', 'until'] as const) {
    const value = filters[key]?.trim();
    if (value) params.set(key, toIso(value));
  }
  let limit = pageSize;
  let offset = page * pageSize;
  let reverse = false;
  if (order === 'oldest' && total !== null) {
    const end = total - page * pageSize; // exclusive end in newest-first order
    offset = Math.max(0, end - pageSize);
    limit = Math.max(1, end - offset);
    reverse = true;
  }
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return { query: params.toString(), reverse, limit, offset };
}

// A datetime-local value ("2026-01-02T03:04") as ISO-8601 UTC; ISO input passes unchanged.
export function toIso(value: string): string {
  if (/[zZ]$|[+-]\d\d:?\d\d$/.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type SortDirection = 'asc' | 'desc';

// Sorts rows by a key (within the page); nulls last whatever the direction.
export function sortRows<T>(rows: T[], key: (row: T) => unknown, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const xNull = x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x));
    const yNull = y === null || y === undefined || (typeof y === 'number' && Number.isNaN(y));
    if (xNull || yNull) return xNull === yNull ? 0 : xNull ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y)) * sign;
  });
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

// Numbers for people: 3 significant digits, thin exponent for very large or small values.
export function fmt(value: unknown, digits = 3): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(digits - 1);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

// Whether data received at `receivedAt` predates the last connection loss (and is therefore
// possibly out of date until the next resync).
export function isStale(receivedAt: number | null, lastLossAt: number | null): boolean {
  if (receivedAt === null) return false;
  return lastLossAt !== null && receivedAt <= lastLossAt;
}

export interface Hyperparameter {
  name: string;
  value: string;
  class: 'hot' | 'warm' | 'cold';
  type: 'number' | 'integer' | 'bool' | 'choice' | 'schedule';
  min?: number;
  max?: number;
  choices?: string[];
  description?: string;
}

// Client-side validation of a hyperparameter value before it is sent; null when valid.
export function validateHyperparameter(hp: Hyperparameter, raw: string): string | null {
  const value = raw.trim();
  if (hp.class === 'cold') return 'cold: changes only with a restart';
  if (value === '') return 'required';
  switch (hp.type) {
    case 'bool':
      return value === 'true' || value === 'false' ? null : 'must be true or false';
    case 'choice':
      return !hp.choices || hp.choices.includes(value)
        ? null
        : `must be one of ${hp.choices.join(', ')}`;
    case 'schedule':
      return null; // the server parses schedules ("linear(3e-4, 0)") and names what is wrong
    case 'integer':
    case 'number': {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) return 'must be a number';
      const n = Number(value);
      if (hp.type === 'integer' && !Number.isInteger(n)) return 'must be an integer';
      if (hp.min !== undefined && n < hp.min) return `must be ≥ ${hp.min}`;
      if (hp.max !== undefined && n > hp.max) return `must be ≤ ${hp.max}`;
      return null;
    }
  }
  return null;
}

// The agent metrics worth charting, in display order, present in `metrics`.
export const METRIC_LABELS: Record<string, string> = {
  loss: 'loss',
  value_loss: 'value loss',
  policy_loss: 'policy loss',
  actor_loss: 'actor loss',
  critic_loss: 'critic loss',
  entropy: 'entropy',
  epsilon: 'ε (exploration)',
  noise_sigma: 'noise σ',
  approx_kl: 'approx. KL',
  clip_fraction: 'clip fraction',
  explained_variance: 'explained variance',
};

export function presentMetrics(metrics: Record<string, unknown> | undefined): string[] {
  if (!metrics) return [];
  return Object.keys(METRIC_LABELS).filter((k) => typeof metrics[k] === 'number');
}

// The agent's exploration figure: ε for DQN, noise σ for DDPG, entropy for policy gradients.
export function exploration(metrics: Record<string, number | undefined> | undefined): {
  label: string;
  value: number | undefined;
} {
  if (!metrics) return { label: 'exploration', value: undefined };
  if (metrics.epsilon !== undefined) return { label: 'ε', value: metrics.epsilon };
  if (metrics.noise_sigma !== undefined) return { label: 'noise σ', value: metrics.noise_sigma };
  if (metrics.entropy !== undefined) return { label: 'entropy', value: metrics.entropy };
  return { label: 'exploration', value: undefined };
}
