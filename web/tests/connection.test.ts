import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LiveConnection,
  backoffDelay,
  jittered,
  realClock,
  type ConnectionOptions,
  type SocketLike,
} from '../src/lib/connection';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  static autoPong = false; // answer pings at once, as a live server does
  readyState = 0;
  sent: string[] = [];
  closedWith: number | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
    if (FakeSocket.autoPong && JSON.parse(data).type === 'ping') this.message({ type: 'pong' });
  }
  close(code?: number) {
    this.closedWith = code ?? 1000;
    this.readyState = 3;
  }
  // Test side.
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  message(value: object) {
    this.onmessage?.({ data: JSON.stringify(value) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
  types() {
    return this.sent.map((s) => JSON.parse(s).type as string);
  }
  subscriptions() {
    return this.sent
      .map((s) => JSON.parse(s))
      .filter((m) => m.type === 'subscribe')
      .map((m) => m.channel as string);
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1];

function make(extra: Partial<ConnectionOptions> = {}) {
  return new LiveConnection({
    url: () => 'ws://test/ws/live?access_token=t',
    createSocket: (url) => new FakeSocket(url),
    clock: realClock,
    random: () => 0, // no jitter unless a test says otherwise
    ...extra,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
  FakeSocket.all = [];
  FakeSocket.autoPong = false;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backoff', () => {
  it('follows 1, 2, 4, 8, 16, 30 s and stays at the maximum', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, 30000));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('is capped by the server maximum', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 5000))).toEqual([1000, 2000, 4000, 5000]);
  });
  it('jitter stays within [0.8 d, d]', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const d = jittered(16000, 0.2, r);
      expect(d).toBeGreaterThanOrEqual(12800);
      expect(d).toBeLessThanOrEqual(16000);
    }
    expect(jittered(16000, 0.2, 0)).toBe(16000);
    expect(jittered(16000, 0.2, 0.5)).toBe(14400);
  });

  it('waits the schedule between failed attempts, then reports offline', () => {
    const c = make();
    c.start();
    last().open();
    expect(c.state).toBe('open');
    last().drop();
    const expected = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    const states: string[] = [];
    for (const delay of expected) {
      const before = FakeSocket.all.length;
      expect(c.getSnapshot().nextAttemptAt! - Date.now()).toBe(delay);
      states.push(c.state);
      vi.advanceTimersByTime(delay - 1);
      expect(FakeSocket.all.length).toBe(before); // not yet
      vi.advanceTimersByTime(1);
      expect(FakeSocket.all.length).toBe(before + 1); // the attempt
      expect(c.state).toBe('connecting');
      last().drop(); // refused
    }
    expect(states).toEqual([
      'reconnecting',
      'reconnecting',
      'offline',
      'offline',
      'offline',
      'offline',
      'offline',
    ]);
    last().open();
    expect(c.state).toBe('open');
    expect(c.getSnapshot().attempt).toBe(0);
    // After a success the schedule starts again at 1 s.
    last().drop();
    expect(c.getSnapshot().nextAttemptAt! - Date.now()).toBe(1000);
  });

  it('uses max_reconnect_delay from welcome, with jitter bounds', () => {
    let r = 0.999;
    const c = make({ random: () => r });
    c.start();
    last().open();
    last().message({ type: 'welcome', data: { max_reconnect_delay: 2, ping_interval: 30 } });
    expect(c.maxReconnectDelayMs).toBe(2000);
    last().drop();
    for (let i = 0; i < 5; ++i) {
      const wait = c.getSnapshot().nextAttemptAt! - Date.now();
      const base = i === 0 ? 1000 : 2000;
      expect(wait).toBeGreaterThanOrEqual(base * 0.8);
      expect(wait).toBeLessThanOrEqual(base);
      r = i % 2 ? 0.999 : 0;
      vi.advanceTimersByTime(wait);
      last().drop();
    }
  });

  it('retry now connects at once', () => {
    const c = make();
    c.start();
    last().drop(); // first attempt refused
    expect(c.state).toBe('reconnecting');
    const n = FakeSocket.all.length;
    c.retryNow();
    expect(FakeSocket.all.length).toBe(n + 1);
    expect(c.state).toBe('connecting');
    last().open();
    expect(c.state).toBe('open');
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.all.length).toBe(n + 1); // the old timer was cancelled
  });

  it('an attempt that never opens times out and counts as failed', () => {
    const c = make({ connectTimeoutMs: 3000 });
    c.start();
    vi.advanceTimersByTime(3000);
    expect(last().closedWith).toBe(4001);
    expect(c.state).toBe('reconnecting');
    expect(c.getSnapshot().attempt).toBe(1);
  });
});

describe('heartbeat', () => {
  it('pings every 30 s and treats 10 s without pong as dead', () => {
    const c = make();
    c.start();
    const socket = last();
    socket.open();
    vi.advanceTimersByTime(29999);
    expect(socket.types()).not.toContain('ping');
    vi.advanceTimersByTime(1);
    expect(socket.types().filter((t) => t === 'ping')).toHaveLength(1);
    socket.message({ type: 'pong' });
    vi.advanceTimersByTime(30000);
    expect(socket.types().filter((t) => t === 'ping')).toHaveLength(2);
    expect(c.state).toBe('open');
    vi.advanceTimersByTime(9999);
    expect(c.state).toBe('open');
    vi.advanceTimersByTime(1); // 10 s without the pong
    expect(socket.closedWith).toBe(4002);
    expect(c.state).toBe('reconnecting');
    expect(c.getSnapshot().lastLossAt).toBe(Date.now());
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all.length).toBe(2);
  });

  it('stops pinging while not connected', () => {
    const c = make();
    c.start();
    last().open();
    last().drop();
    const dropped = FakeSocket.all[0];
    vi.advanceTimersByTime(60000);
    expect(dropped.types()).not.toContain('ping');
    expect(c.state).not.toBe('open');
  });
});

describe('subscriptions', () => {
  it('sends subscriptions when open and again after every reconnect', () => {
    const c = make();
    const offA = c.subscribe('evaluation.updates');
    c.subscribe('agent.status');
    c.start();
    last().open();
    expect(last().subscriptions()).toEqual(['evaluation.updates', 'agent.status']);
    c.subscribe('orchestration.step');
    expect(last().subscriptions()).toEqual([
      'evaluation.updates',
      'agent.status',
      'orchestration.step',
    ]);
    offA();
    expect(last().sent.map((s) => JSON.parse(s))).toContainEqual({
      type: 'unsubscribe',
      channel: 'evaluation.updates',
    });
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    expect(last().subscriptions()).toEqual(['agent.status', 'orchestration.step']);
  });

  it('counts subscribers per channel', () => {
    const c = make();
    c.start();
    last().open();
    const a = c.subscribe('x');
    const b = c.subscribe('x');
    expect(last().subscriptions()).toEqual(['x']);
    a();
    a(); // twice is harmless
    expect(last().types()).not.toContain('unsubscribe');
    b();
    expect(last().types()).toContain('unsubscribe');
    expect(c.subscribedChannels()).toEqual([]);
  });

  it('delivers messages by channel and asks for a resync after a reconnect only', () => {
    const c = make();
    const got: unknown[] = [];
    c.onMessage('evaluation.updates', (m) => got.push(m.data));
    const resyncs: number[] = [];
    c.onResync(() => resyncs.push(Date.now()));
    c.start();
    last().open();
    expect(resyncs).toHaveLength(0);
    last().message({ type: 'update', channel: 'evaluation.updates', data: { event: 'queued' } });
    last().message({ type: 'update', channel: 'other', data: 1 });
    expect(got).toEqual([{ event: 'queued' }]);
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    expect(resyncs).toEqual([1000]);
    expect(c.getSnapshot().lastResyncAt).toBe(1000);
  });

  it('unpacks batches into their messages, in order', () => {
    const c = make();
    const got: unknown[] = [];
    c.onMessage('evaluation.updates', (m) => got.push(m.data));
    c.start();
    last().open();
    last().message({
      type: 'batch',
      ts: '2026-01-01T00:00:00.000000Z',
      data: [
        { type: 'update', channel: 'evaluation.updates', data: 1 },
        { type: 'update', channel: 'agent.status', data: 2 },
        { type: 'update', channel: 'evaluation.updates', data: 3 },
      ],
    });
    expect(got).toEqual([1, 3]);
  });

  it('ignores events of a replaced socket', () => {
    const c = make();
    c.start();
    const first = last();
    first.drop();
    c.retryNow();
    const second = last();
    second.open();
    first.onclose?.({}); // handlers were detached; nothing happens
    expect(c.state).toBe('open');
  });
});

describe('visibility', () => {
  beforeEach(() => {
    FakeSocket.autoPong = true;
  });
  it('a tab hidden for long closes its socket and reconnects at once when visible', () => {
    const c = make({ hiddenCloseMs: 60000 });
    const resyncs: number[] = [];
    c.onResync(() => resyncs.push(Date.now()));
    c.subscribe('evaluation.updates');
    c.start();
    last().open();
    c.setHidden(true);
    vi.advanceTimersByTime(59999);
    expect(c.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(c.state).toBe('paused');
    expect(last().closedWith).toBe(1000);
    vi.advanceTimersByTime(600000);
    expect(FakeSocket.all).toHaveLength(1); // no reconnect attempts while hidden
    c.setHidden(false);
    expect(FakeSocket.all).toHaveLength(2); // at once
    last().open();
    expect(c.state).toBe('open');
    expect(last().subscriptions()).toEqual(['evaluation.updates']);
    expect(resyncs).toEqual([660000]);
    expect(c.getSnapshot().lastLossAt).toBe(60000);
  });

  it('a short hide changes nothing', () => {
    const c = make({ hiddenCloseMs: 60000 });
    c.start();
    last().open();
    c.setHidden(true);
    vi.advanceTimersByTime(30000);
    c.setHidden(false);
    vi.advanceTimersByTime(60000);
    expect(c.state).toBe('open');
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('becoming visible while waiting to reconnect skips the wait', () => {
    const c = make();
    c.start();
    last().open();
    c.setHidden(true);
    last().drop();
    expect(c.state).toBe('reconnecting');
    c.setHidden(false);
    expect(c.state).toBe('connecting');
  });

  it('the browser going offline shows offline, coming back retries at once', () => {
    const c = make();
    c.start();
    last().open();
    c.setBrowserOnline(false);
    last().drop();
    expect(c.state).toBe('offline');
    c.setBrowserOnline(true);
    expect(c.state).toBe('connecting');
  });
});

describe('telemetry', () => {
  it('counts reconnections and connection durations', () => {
    const c = make();
    c.start();
    last().open();
    vi.advanceTimersByTime(5000);
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    vi.advanceTimersByTime(2500);
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    expect(c.takeTelemetry()).toEqual({ reconnections: 2, connection_durations_seconds: [5, 2.5] });
    expect(c.takeTelemetry()).toBeNull();
    c.restoreTelemetry({ reconnections: 1, connection_durations_seconds: [7] });
    expect(c.takeTelemetry()).toEqual({ reconnections: 1, connection_durations_seconds: [7] });
  });

  it('uses a fresh URL (token) on every attempt, also when it comes asynchronously', async () => {
    let n = 0;
    const c = make({ url: () => Promise.resolve(`ws://x/ws/live?access_token=t${++n}`) });
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(last().url).toContain('t1');
    last().drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(last().url).toContain('t2');
  });
});
