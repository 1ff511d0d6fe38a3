import { describe, expect, it } from 'vitest';
import {
  evaluationQuery,
  exploration,
  fmt,
  histogram,
  isStale,
  pageCount,
  presentMetrics,
  rollingStats,
  sortRows,
  StreamSeries,
  toIso,
  validateHyperparameter,
  type Hyperparameter,
} from '../src/lib/transforms';
import { ApiClient, ApiError } from '../src/lib/api';

describe('rollingStats', () => {
  it('computes the rolling mean and ±1σ band over a window', () => {
    const { mean, lower, upper } = rollingStats([1, 3, 5, 7], 2);
    expect(mean).toEqual([1, 2, 4, 6]);
    expect(lower).toEqual([1, 1, 3, 5]);
    expect(upper).toEqual([1, 3, 5, 7]);
  });
  it('skips NaN and handles negative rewards', () => {
    const { mean } = rollingStats([-200, NaN, -100, -300], 3);
    expect(mean[0]).toBe(-200);
    expect(mean[1]).toBe(-200);
    expect(mean[2]).toBe(-150);
    expect(mean[3]).toBe(-200); // NaN, -100, -300
  });
  it('all NaN gives NaN', () => {
    expect(rollingStats([NaN, NaN], 5).mean.every(Number.isNaN)).toBe(true);
  });
  it('matches a direct computation on a long series', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 100 + i);
    const { mean, upper } = rollingStats(values, 20);
    const i = 567;
    const win = values.slice(i - 19, i + 1);
    const m = win.reduce((a, b) => a + b) / 20;
    const sd = Math.sqrt(win.reduce((a, b) => a + (b - m) ** 2, 0) / 20);
    expect(mean[i]).toBeCloseTo(m, 6);
    expect(upper[i]).toBeCloseTo(m + sd, 6);
  });
});

describe('histogram', () => {
  it('bins values over [min, max] with the max in the last bin', () => {
    const bins = histogram([0, 1, 2, 3, 4, 10], 5);
    expect(bins.map((b) => b.count)).toEqual([2, 2, 1, 0, 1]);
    expect(bins[0].from).toBe(0);
    expect(bins[4].to).toBe(10);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(6);
  });
  it('equal values make one bin; empty input none', () => {
    expect(histogram([500, 500, 500])).toEqual([{ from: 500, to: 500, count: 3 }]);
    expect(histogram([])).toEqual([]);
    expect(histogram([NaN])).toEqual([]);
  });
});

describe('StreamSeries', () => {
  it('keeps the newest `capacity` points', () => {
    const s = new StreamSeries(100, 2);
    for (let i = 0; i < 1000; ++i) s.push(i, [i * 2, -i]);
    const [xs, a, b] = s.data();
    expect(xs.length).toBe(100);
    expect(xs[0]).toBe(900);
    expect(a[99]).toBe(1998);
    expect(b[99]).toBe(-999);
    expect(s.last(0)).toBe(1998);
  });
  it('replaces the tail when x goes back (a replay)', () => {
    const s = new StreamSeries(10, 1);
    for (const x of [1, 2, 3, 4]) s.push(x, [x]);
    s.push(3, [30]);
    expect(s.data()).toEqual([[1, 2, 3], [1, 2, 30]]);
  });
  it('missing values are NaN', () => {
    const s = new StreamSeries(10, 2);
    s.push(1, [5]);
    expect(Number.isNaN(s.data()[2][0])).toBe(true);
  });
});

describe('evaluationQuery', () => {
  it('builds newest-first pages with filters', () => {
    const q = evaluationQuery({ agent_id: ' a ', status: 'completed', environment: '' }, 2, 50, 'newest', null);
    expect(q.query).toBe('agent_id=a&status=completed&limit=50&offset=100');
    expect(q.reverse).toBe(false);
  });
  it('reads oldest first from the end of the newest-first list', () => {
    expect(evaluationQuery({}, 0, 50, 'oldest', 120)).toMatchObject({ offset: 70, limit: 50, reverse: true });
    expect(evaluationQuery({}, 1, 50, 'oldest', 120)).toMatchObject({ offset: 20, limit: 50, reverse: true });
    expect(evaluationQuery({}, 2, 50, 'oldest', 120)).toMatchObject({ offset: 0, limit: 20, reverse: true });
  });
  it('converts time filters to ISO-8601 UTC', () => {
    const q = evaluationQuery({ since: '2026-01-02T03:04:05Z' }, 0, 10, 'newest', null);
    expect(new URLSearchParams(q.query).get('since')).toBe('2026-01-02T03:04:05Z');
    expect(toIso('2026-01-02T03:04:05+02:00')).toBe('2026-01-02T03:04:05+02:00');
    expect(toIso('2026-01-02T03:04')).toMatch(/^2026-01-0[12]T\d\d:04:00Z$/);
  });
  it('counts pages', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(100000, 50)).toBe(2000);
    expect(pageCount(101, 50)).toBe(3);
  });
});

describe('sortRows', () => {
  const rows = [{ v: 2 }, { v: null }, { v: 10 }, { v: 1 }];
  it('sorts numbers both ways with nulls last', () => {
    expect(sortRows(rows, (r) => r.v, 'asc').map((r) => r.v)).toEqual([1, 2, 10, null]);
    expect(sortRows(rows, (r) => r.v, 'desc').map((r) => r.v)).toEqual([10, 2, 1, null]);
  });
  it('sorts text and leaves the input alone', () => {
    const names = [{ n: 'b' }, { n: 'a' }];
    expect(sortRows(names, (r) => r.n, 'asc').map((r) => r.n)).toEqual(['a', 'b']);
    expect(names[0].n).toBe('b');
  });
});

describe('validateHyperparameter', () => {
  const lr: Hyperparameter = { name: 'learning_rate', value: '0.0003', class: 'hot', type: 'number', min: 1e-6, max: 1 };
  it('checks numbers against their bounds', () => {
    expect(validateHyperparameter(lr, '0.001')).toBeNull();
    expect(validateHyperparameter(lr, '1e-4')).toBeNull();
    expect(validateHyperparameter(lr, '2')).toBe('must be ≤ 1');
    expect(validateHyperparameter(lr, '0')).toBe('must be ≥ 0.000001');
    expect(validateHyperparameter(lr, 'abc')).toBe('must be a number');
    expect(validateHyperparameter(lr, ' ')).toBe('required');
  });
  it('integers, bools, choices and cold ones', () => {
    const n: Hyperparameter = { name: 'n_steps', value: '128', class: 'warm', type: 'integer', min: 1 };
    expect(validateHyperparameter(n, '1.5')).toBe('must be an integer');
    expect(validateHyperparameter(n, '64')).toBeNull();
    const b: Hyperparameter = { name: 'x', value: 'true', class: 'hot', type: 'bool' };
    expect(validateHyperparameter(b, 'yes')).toBe('must be true or false');
    const c: Hyperparameter = { name: 'y', value: 'a', class: 'hot', type: 'choice', choices: ['a', 'b'] };
    expect(validateHyperparameter(c, 'c')).toBe('must be one of a, b');
    expect(validateHyperparameter({ ...lr, class: 'cold' }, '0.1')).toMatch(/restart/);
  });
});

describe('formatting and agents', () => {
  it('formats numbers for people', () => {
    expect(fmt(null)).toBe('—');
    expect(fmt(100000)).toBe('100,000');
    expect(fmt(0.12345)).toBe('0.123');
    expect(fmt(-152.44)).toBe('-152');
    expect(fmt(2e-5)).toBe('2.00e-5');
  });
  it('picks the exploration figure per algorithm', () => {
    expect(exploration({ epsilon: 0.05, loss: 1 })).toEqual({ label: 'ε', value: 0.05 });
    expect(exploration({ noise_sigma: 0.2 })).toEqual({ label: 'noise σ', value: 0.2 });
    expect(exploration({ entropy: 1.3 })).toEqual({ label: 'entropy', value: 1.3 });
    expect(presentMetrics({ clip_fraction: 0.1, loss: 2, other: 1 })).toEqual(['loss', 'clip_fraction']);
  });
  it('marks data received before the last loss as stale', () => {
    expect(isStale(100, null)).toBe(false);
    expect(isStale(100, 200)).toBe(true);
    expect(isStale(300, 200)).toBe(false);
    expect(isStale(null, 200)).toBe(false);
  });
});

describe('ApiClient', () => {
  function fakeFetch(routes: Record<string, (init: RequestInit) => [number, unknown]>) {
    const calls: string[] = [];
    const impl = (async (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url} ${(init.headers as Record<string, string>).Authorization ?? ''}`);
      const [status, body] = routes[`${init.method} ${url}`](init);
      return new Response(JSON.stringify(body), { status });
    }) as unknown as typeof fetch;
    return { impl, calls };
  }
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };

  it('refreshes once on 401 and repeats the request', async () => {
    let refreshed = 0;
    const { impl, calls } = fakeFetch({
      'GET /api/v1/x': (init) =>
        (init.headers as Record<string, string>).Authorization === 'Bearer new' ? [200, { ok: 1 }] : [401, { error: { code: 'unauthenticated', message: 'expired' } }],
      'POST /api/v1/auth/refresh': () => {
        refreshed++;
        return [200, { access_token: 'new', refresh_token: 'r2' }];
      },
    });
    const client = new ApiClient('', memory(), impl);
    client.setTokens({ access_token: 'old', refresh_token: 'r1' });
    const [a, b] = await Promise.all([client.get('/api/v1/x'), client.get('/api/v1/x')]);
    expect(a).toEqual({ ok: 1 });
    expect(b).toEqual({ ok: 1 });
    expect(refreshed).toBe(1);
    expect(client.accessToken).toBe('new');
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });

  it('a refused refresh logs out and surfaces the server error', async () => {
    const { impl } = fakeFetch({
      'GET /api/v1/x': () => [401, { error: { code: 'unauthenticated', message: 'expired' } }],
      'POST /api/v1/auth/refresh': () => [401, { error: { code: 'unauthenticated', message: 'refresh token already used' } }],
    });
    const client = new ApiClient('', memory(), impl);
    client.setTokens({ access_token: 'old', refresh_token: 'r1' });
    await expect(client.get('/api/v1/x')).rejects.toMatchObject({ status: 401, message: 'expired' });
    expect(client.loggedIn).toBe(false);
  });

  it('errors carry code, message and field; 404 / 503 count as unavailable', async () => {
    const { impl } = fakeFetch({
      'POST /api/v1/y': () => [400, { error: { code: 'invalid_argument', message: 'episodes: must be ≥ 1', field: 'episodes' } }],
      'GET /api/v1/agents': () => [404, { error: { code: 'not_found', message: 'no route' } }],
    });
    const client = new ApiClient('', memory(), impl);
    const error = (await client.post("/api/v1/y", {}).catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_argument', field: 'episodes', message: 'episodes: must be ≥ 1' });
    expect(error.unavailable).toBe(false);
    const missing = (await client.get("/api/v1/agents").catch((e) => e)) as ApiError;
    expect(missing.unavailable).toBe(true);
  });

  it('reads the token lifetime from the JWT', () => {
    const client = new ApiClient('', memory(), (() => {}) as unknown as typeof fetch);
    const payload = btoa(JSON.stringify({ exp: 1000 })).replace(/=+$/, '');
    client.setTokens({ access_token: `h.${payload}.s`, refresh_token: 'r' });
    expect(client.accessTokenTtl(940_000)).toBe(60);
  });
});
