// The app's one live connection as React context, plus hooks: the connection's state, channel
// messages, resync callbacks and REST resources that refetch after a reconnect.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { api, ApiError } from './api';
import { LiveConnection, type ConnectionSnapshot, type LiveMessage, type SocketLike } from './connection';

const LiveContext = createContext<LiveConnection | null>(null);

// How often the browser's view of the live feed is reported to the server.
const TELEMETRY_INTERVAL_MS = 30000;

export function liveUrl(token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/live?batch=true&access_token=${encodeURIComponent(token)}`;
}

async function flushTelemetry(connection: LiveConnection) {
  const report = connection.takeTelemetry();
  if (!report || !api.loggedIn) return;
  try {
    await api.post('/api/v1/telemetry/websocket', report);
  } catch (error) {
    // Not delivered (the server is down): keep it for the next flush, unless it was refused.
    if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) {
      connection.restoreTelemetry(report);
    }
  }
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const [connection] = useState(
    () =>
      new LiveConnection({
        url: async () => {
          const token = await api.freshAccessToken();
          if (!token) throw new Error('not logged in');
          return liveUrl(token);
        },
        createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      }),
  );
  useEffect(() => {
    const visibility = () => connection.setHidden(document.hidden);
    const online = () => connection.setBrowserOnline(true);
    const offline = () => connection.setBrowserOnline(false);
    const pagehide = () => void flushTelemetry(connection);
    document.addEventListener('visibilitychange', visibility);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    window.addEventListener('pagehide', pagehide);
    connection.setHidden(document.hidden);
    connection.start();
    // Reconnections are reported soon after they happen, the rest periodically.
    let soon: ReturnType<typeof setTimeout> | undefined;
    const offResync = connection.onResync(() => {
      clearTimeout(soon);
      soon = setTimeout(() => void flushTelemetry(connection), 2000);
    });
    const timer = setInterval(() => void flushTelemetry(connection), TELEMETRY_INTERVAL_MS);
    (window as unknown as { __tarsLive?: LiveConnection }).__tarsLive = connection;
    return () => {
      document.removeEventListener('visibilitychange', visibility);
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      window.removeEventListener('pagehide', pagehide);
      offResync();
      clearTimeout(soon);
      clearInterval(timer);
      void flushTelemetry(connection);
      connection.stop();
    };
  }, [connection]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveConnection {
  const connection = useContext(LiveContext);
  if (!connection) throw new Error('useLive outside LiveProvider');
  return connection;
}

export function useConnectionState(): ConnectionSnapshot {
  const connection = useLive();
  return useSyncExternalStore(
    (l) => connection.onChange(l),
    () => connection.getSnapshot(),
  );
}

// Subscribes to `channel` while mounted and calls `handler` with each message's data.
export function useChannel<T = unknown>(channel: string, handler: (data: T, message: LiveMessage) => void) {
  const connection = useLive();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const off = connection.onMessage(channel, (message) => {
      if (message.type === 'update') ref.current(message.data as T, message);
    });
    const unsubscribe = connection.subscribe(channel);
    return () => {
      off();
      unsubscribe();
    };
  }, [connection, channel]);
}

export function useResync(handler: () => void) {
  const connection = useLive();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => connection.onResync(() => ref.current()), [connection]);
}

export interface Resource<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  receivedAt: number | null; // when data was last fetched or updated live
  reload: () => void;
  set: (update: (previous: T | null) => T | null) => void; // a live update
}

// GET `path` (null: nothing to fetch); refetched when `path` changes and after every resync.
export function useResource<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{
    data: T | null;
    error: ApiError | null;
    loading: boolean;
    receivedAt: number | null;
  }>({ data: null, error: null, loading: path !== null, receivedAt: null });
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  useResync(reload);
  // A layout effect: the request goes out before the first paint, not after it.
  useLayoutEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path, controller.signal).then(
      (data) => setState({ data, error: null, loading: false, receivedAt: Date.now() }),
      (error) => {
        if ((error as Error)?.name === 'AbortError') return;
        setState((s) => ({
          ...s,
          error: error instanceof ApiError ? error : new ApiError(0, 'client', String(error)),
          loading: false,
        }));
      },
    );
    return () => controller.abort();
  }, [path, nonce]);
  const set = useCallback(
    (update: (previous: T | null) => T | null) =>
      setState((s) => ({ ...s, data: update(s.data), receivedAt: Date.now() })),
    [],
  );
  return { ...state, reload, set };
}

// A render counter bumped at most once per animation frame: live handlers write into refs and
// call bump(); the page re-renders once per frame however many messages arrived.
export function useFrameVersion(): [number, () => void] {
  const [version, setVersion] = useState(0);
  const pending = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (pending.current !== null) cancelAnimationFrame(pending.current);
    },
    [],
  );
  const bump = useCallback(() => {
    if (pending.current !== null) return;
    pending.current = requestAnimationFrame(() => {
      pending.current = null;
      setVersion((v) => v + 1);
    });
  }, []);
  return [version, bump];
}
