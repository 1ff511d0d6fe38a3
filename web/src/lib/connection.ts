// The live connection to /ws/live as a framework-free state machine: one socket for the whole
// app, channel subscriptions that survive reconnects, exponential backoff with jitter, an
// application-level heartbeat, Page Visibility handling and the numbers the browser reports back
// to the server (reconnections, connection durations). The WebSocket factory, the clock and the
// random source are injected so that the tests drive it with fake timers.

export type ConnectionState =
  | 'idle' // not started
  | 'connecting' // a socket is opening
  | 'open' // connected and subscribed
  | 'reconnecting' // waiting for the next attempt (the first few failures)
  | 'offline' // still retrying, but down for a while (or the browser says it is offline)
  | 'paused' // the tab was hidden for long: socket closed on purpose until it is visible
  | 'stopped'; // stop() was called

export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface Clock {
  now(): number; // milliseconds
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface LiveMessage {
  type: string;
  channel?: string;
  data?: unknown;
  ts?: string;
}

export interface ConnectionSnapshot {
  state: ConnectionState;
  attempt: number; // failed attempts since the last successful connection
  nextAttemptAt: number | null; // clock time of the next attempt while waiting
  connectedSince: number | null;
  lastLossAt: number | null; // when the last open connection was lost (null: never)
  lastResyncAt: number | null; // when the app was last told to refetch over REST
}

export interface ConnectionOptions {
  url: () => string | Promise<string>; // the /ws/live URL with a fresh ?access_token=
  createSocket: (url: string) => SocketLike;
  clock?: Clock;
  random?: () => number; // in [0, 1)
  pingIntervalMs?: number; // client heartbeat period (30 s)
  pongTimeoutMs?: number; // no pong within this after a ping: the connection is dead (10 s)
  maxReconnectDelayMs?: number; // until the server's welcome says otherwise (30 s)
  jitter?: number; // fraction taken off a delay at most (0.2: a delay lies in [0.8 d, d])
  offlineAfterFailures?: number; // failed attempts before the state says offline (3)
  hiddenCloseMs?: number; // a tab hidden this long closes its socket (60 s)
  connectTimeoutMs?: number; // an attempt not open within this counts as failed (10 s)
}

// The reconnect delays before jitter: 1, 2, 4, 8, 16, 30 s, ... capped at `maxMs`.
export function backoffDelay(failures: number, maxMs: number): number {
  const schedule = [1000, 2000, 4000, 8000, 16000, 30000];
  const base = schedule[Math.min(Math.max(failures, 1), schedule.length) - 1];
  return Math.min(base, maxMs);
}

// A jittered delay in [(1 - jitter) * base, base]: never longer than the schedule (so never past
// the server's maximum), and clients that lost the server together spread their retries.
export function jittered(base: number, jitter: number, random: number): number {
  return base * (1 - jitter * random);
}

type Listener = (snapshot: ConnectionSnapshot) => void;
type MessageListener = (message: LiveMessage) => void;

const OPEN = 1;

export class LiveConnection {
  private readonly opts: Required<Omit<ConnectionOptions, 'url' | 'createSocket'>> &
    Pick<ConnectionOptions, 'url' | 'createSocket'>;
  private socket: SocketLike | null = null;
  private snapshot: ConnectionSnapshot = {
    state: 'idle',
    attempt: 0,
    nextAttemptAt: null,
    connectedSince: null,
    lastLossAt: null,
    lastResyncAt: null,
  };
  private readonly channels = new Map<string, number>(); // channel -> subscriber count
  private readonly listeners = new Set<Listener>();
  private readonly messageListeners = new Map<string, Set<MessageListener>>(); // by channel, '*'
  private readonly resyncListeners = new Set<() => void>();
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private hiddenTimer: unknown = null;
  private connectTimer: unknown = null;
  private hidden = false;
  private browserOffline = false;
  private generation = 0; // bumps on every new socket: late events of old ones are ignored
  private everConnected = false;
  // Telemetry not yet reported to the server.
  private pendingReconnections = 0;
  private pendingDurations: number[] = [];
  serverPingInterval: number | null = null;

  constructor(options: ConnectionOptions) {
    this.opts = {
      clock: realClock,
      random: Math.random,
      pingIntervalMs: 30000,
      pongTimeoutMs: 10000,
      maxReconnectDelayMs: 30000,
      jitter: 0.2,
      offlineAfterFailures: 3,
      hiddenCloseMs: 60000,
      connectTimeoutMs: 10000,
      ...options,
    };
  }

  get state(): ConnectionState {
    return this.snapshot.state;
  }
  getSnapshot(): ConnectionSnapshot {
    return this.snapshot;
  }
  get maxReconnectDelayMs(): number {
    return this.opts.maxReconnectDelayMs;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  // Called after a reconnection (or a return from a long-hidden tab): refetch what is shown.
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }
  // Messages of one channel ('*' for every message).
  onMessage(channel: string, listener: MessageListener): () => void {
    let set = this.messageListeners.get(channel);
    if (!set) this.messageListeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  // Subscribes to `channel` (counted: the last unsubscribe really unsubscribes). Subscriptions
  // are sent again after every reconnect.
  subscribe(channel: string): () => void {
    const count = this.channels.get(channel) ?? 0;
    this.channels.set(channel, count + 1);
    if (count === 0 && this.isOpen()) this.send({ type: 'subscribe', channel });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.channels.get(channel) ?? 1) - 1;
      if (left > 0) {
        this.channels.set(channel, left);
        return;
      }
      this.channels.delete(channel);
      if (this.isOpen()) this.send({ type: 'unsubscribe', channel });
    };
  }
  subscribedChannels(): string[] {
    return [...this.channels.keys()];
  }

  start(): void {
    if (this.snapshot.state !== 'idle' && this.snapshot.state !== 'stopped') return;
    this.connect();
  }

  stop(): void {
    this.clearTimers();
    this.closeSocket(1000, 'client stopped');
    this.update({ state: 'stopped', nextAttemptAt: null });
  }

  // "Retry now": an immediate attempt instead of waiting for the backoff.
  retryNow(): void {
    if (this.snapshot.state === 'open' || this.snapshot.state === 'connecting') return;
    if (this.snapshot.state === 'stopped') return;
    this.clear('retryTimer');
    this.connect();
  }

  // Page Visibility: call with document.hidden on every visibilitychange.
  setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    if (hidden) {
      this.clear('hiddenTimer');
      this.hiddenTimer = this.opts.clock.setTimeout(() => {
        this.hiddenTimer = null;
        this.pause();
      }, this.opts.hiddenCloseMs);
      return;
    }
    this.clear('hiddenTimer');
    const state = this.snapshot.state;
    if (state === 'paused' || state === 'reconnecting' || state === 'offline') {
      // Back in view: reconnect at once; the resync after it refreshes what is shown.
      this.clear('retryTimer');
      this.connect();
    }
  }

  // navigator.onLine and the online / offline events.
  setBrowserOnline(online: boolean): void {
    this.browserOffline = !online;
    if (!online && this.snapshot.state === 'reconnecting') this.update({ state: 'offline' });
    if (online && (this.snapshot.state === 'offline' || this.snapshot.state === 'reconnecting')) {
      this.clear('retryTimer');
      this.connect();
    }
  }

  // The telemetry gathered since the last call, for POST /api/v1/telemetry/websocket; durations
  // of connections still open are not included (they are reported when they end).
  takeTelemetry(): { reconnections: number; connection_durations_seconds: number[] } | null {
    if (this.pendingReconnections === 0 && this.pendingDurations.length === 0) return null;
    const report = {
      reconnections: this.pendingReconnections,
      connection_durations_seconds: this.pendingDurations.splice(0, 100),
    };
    this.pendingReconnections = 0;
    return report;
  }
  // Puts a report that could not be delivered back.
  restoreTelemetry(report: { reconnections: number; connection_durations_seconds: number[] }) {
    this.pendingReconnections += report.reconnections;
    this.pendingDurations.unshift(...report.connection_durations_seconds);
    if (this.pendingDurations.length > 1000) this.pendingDurations.length = 1000;
  }

  send(message: LiveMessage | { type: string; channel?: string }): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  // --- internals ---

  private isOpen(): boolean {
    return this.snapshot.state === 'open' && this.socket?.readyState === OPEN;
  }

  private connect(): void {
    this.closeSocket(4000, 'reconnecting');
    const generation = ++this.generation;
    this.update({ state: 'connecting', nextAttemptAt: null });
    let url: string | Promise<string>;
    try {
      url = this.opts.url();
    } catch {
      this.failed(generation);
      return;
    }
    if (typeof url === 'string') this.openSocket(url, generation);
    else
      url.then(
        (u) => this.openSocket(u, generation),
        () => this.failed(generation),
      );
  }

  private openSocket(url: string, generation: number): void {
    if (generation !== this.generation || this.snapshot.state !== 'connecting') return;
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(url);
    } catch {
      this.failed(generation);
      return;
    }
    this.socket = socket;
    this.connectTimer = this.opts.clock.setTimeout(() => {
      this.connectTimer = null;
      if (generation === this.generation && this.snapshot.state === 'connecting') {
        this.closeSocket(4001, 'connect timeout');
        this.failed(generation);
      }
    }, this.opts.connectTimeoutMs);
    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.clear('connectTimer');
      this.opened();
    };
    socket.onmessage = (event) => {
      if (generation !== this.generation) return;
      this.received(event.data);
    };
    socket.onerror = () => {
      /* the close event follows */
    };
    socket.onclose = () => {
      if (generation !== this.generation) return;
      this.socket = null;
      this.lost(generation);
    };
  }

  private opened(): void {
    const now = this.opts.clock.now();
    const reconnect = this.everConnected;
    this.everConnected = true;
    if (reconnect) this.pendingReconnections += 1;
    this.update({ state: 'open', attempt: 0, connectedSince: now, nextAttemptAt: null });
    for (const channel of this.channels.keys()) this.send({ type: 'subscribe', channel });
    this.schedulePing();
    if (reconnect || this.snapshot.lastLossAt !== null) this.resync();
  }

  private resync(): void {
    this.update({ lastResyncAt: this.opts.clock.now() });
    for (const listener of [...this.resyncListeners]) listener();
  }

  private received(raw: unknown): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(String(raw)) as LiveMessage;
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    // ?batch=true: what queued up on the server during a write arrives as one batch.
    if (message.type === 'batch') {
      if (Array.isArray(message.data)) {
        for (const inner of message.data as LiveMessage[]) this.dispatch(inner);
      }
      return;
    }
    this.dispatch(message);
  }

  private dispatch(message: LiveMessage): void {
    if (!message || typeof message.type !== 'string') return;
    if (message.type === 'pong') {
      this.clear('pongTimer');
    } else if (message.type === 'welcome') {
      const data = (message.data ?? {}) as { max_reconnect_delay?: number; ping_interval?: number };
      if (typeof data.max_reconnect_delay === 'number' && data.max_reconnect_delay > 0) {
        this.opts.maxReconnectDelayMs = data.max_reconnect_delay * 1000;
      }
      if (typeof data.ping_interval === 'number') this.serverPingInterval = data.ping_interval;
    }
    const targets = [
      ...(message.channel ? (this.messageListeners.get(message.channel) ?? []) : []),
      ...(this.messageListeners.get('*') ?? []),
    ];
    for (const listener of targets) listener(message);
  }

  private schedulePing(): void {
    this.clear('pingTimer');
    this.pingTimer = this.opts.clock.setTimeout(() => {
      this.pingTimer = null;
      if (!this.isOpen()) return;
      if (this.pongTimer === null) {
        this.pongTimer = this.opts.clock.setTimeout(() => {
          this.pongTimer = null;
          // No pong: the connection is dead even if the socket has not noticed.
          const generation = this.generation;
          this.closeSocket(4002, 'heartbeat timeout');
          this.lost(generation);
        }, this.opts.pongTimeoutMs);
      }
      this.send({ type: 'ping' });
      this.schedulePing();
    }, this.opts.pingIntervalMs);
  }

  // An open connection ended, or an attempt failed.
  private lost(generation: number): void {
    if (generation !== this.generation) return;
    const state = this.snapshot.state;
    if (state === 'open') {
      const now = this.opts.clock.now();
      if (this.snapshot.connectedSince !== null) {
        this.pendingDurations.push((now - this.snapshot.connectedSince) / 1000);
        if (this.pendingDurations.length > 1000) this.pendingDurations.shift();
      }
      this.clear('pingTimer');
      this.clear('pongTimer');
      this.update({ lastLossAt: now, connectedSince: null });
      this.scheduleRetry(1); // the first attempt after a loss waits 1 s
      return;
    }
    if (state === 'connecting') this.failed(generation);
  }

  private failed(generation: number): void {
    if (generation !== this.generation) return;
    this.clear('connectTimer');
    this.scheduleRetry(this.snapshot.attempt + 1);
  }

  private scheduleRetry(failures: number): void {
    this.clear('retryTimer');
    const delay = jittered(
      backoffDelay(failures, this.opts.maxReconnectDelayMs),
      this.opts.jitter,
      this.opts.random(),
    );
    const offline = this.browserOffline || failures >= this.opts.offlineAfterFailures;
    this.update({
      state: offline ? 'offline' : 'reconnecting',
      attempt: failures,
      nextAttemptAt: this.opts.clock.now() + delay,
      connectedSince: null,
    });
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private pause(): void {
    const state = this.snapshot.state;
    if (state === 'stopped' || state === 'idle' || state === 'paused') return;
    const now = this.opts.clock.now();
    if (state === 'open' && this.snapshot.connectedSince !== null) {
      this.pendingDurations.push((now - this.snapshot.connectedSince) / 1000);
    }
    this.clear('retryTimer');
    this.clear('pingTimer');
    this.clear('pongTimer');
    this.clear('connectTimer');
    this.generation++;
    this.closeSocket(1000, 'tab hidden');
    this.update({
      state: 'paused',
      nextAttemptAt: null,
      connectedSince: null,
      lastLossAt: state === 'open' ? now : this.snapshot.lastLossAt,
    });
  }

  private closeSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code, reason);
    } catch {
      /* already closed */
    }
  }

  private clear(name: 'retryTimer' | 'pingTimer' | 'pongTimer' | 'hiddenTimer' | 'connectTimer') {
    if (this[name] !== null) {
      this.opts.clock.clearTimeout(this[name]);
      this[name] = null;
    }
  }

  private clearTimers(): void {
    this.clear('retryTimer');
    this.clear('pingTimer');
    this.clear('pongTimer');
    this.clear('hiddenTimer');
    this.clear('connectTimer');
  }

  private update(patch: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener(this.snapshot);
  }
}
