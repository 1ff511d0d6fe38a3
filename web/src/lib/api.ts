// REST client: bearer tokens kept in localStorage, a transparent refresh on 401 (one refresh at a
// time, shared by concurrent requests), and errors that carry the server's message and field.

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
  // The orchestrator (or another optional component) is not running in this server.
  get unavailable(): boolean {
    return this.status === 404 || this.status === 503;
  }
}

const STORAGE_KEY = 'tars.tokens';

type Listener = (tokens: TokenPair | null) => void;

export class ApiClient {
  private tokens: TokenPair | null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly base = '',
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null =
      typeof localStorage === 'undefined' ? null : localStorage,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    let stored: TokenPair | null = null;
    try {
      stored = JSON.parse(this.storage?.getItem(STORAGE_KEY) ?? 'null');
    } catch {
      stored = null;
    }
    this.tokens = stored && stored.access_token ? stored : null;
  }

  get accessToken(): string | null {
    return this.tokens?.access_token ?? null;
  }
  get loggedIn(): boolean {
    return this.tokens !== null;
  }
  onTokens(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTokens(tokens: TokenPair | null): void {
    this.tokens = tokens;
    if (tokens) this.storage?.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else this.storage?.removeItem(STORAGE_KEY);
    for (const l of [...this.listeners]) l(tokens);
  }

  async login(username: string, password: string): Promise<void> {
    this.setTokens(await this.raw<TokenPair>('POST', '/api/v1/auth/login', { username, password }));
  }
  async exchangeLoginToken(token: string): Promise<void> {
    this.setTokens(await this.raw<TokenPair>('POST', '/api/v1/auth/token', { token }));
  }
  async logout(): Promise<void> {
    const refresh = this.tokens?.refresh_token;
    this.setTokens(null);
    if (refresh) {
      await this.raw('POST', '/api/v1/auth/logout', { refresh_token: refresh }).catch(() => {});
    }
  }

  // Seconds until the access token expires (from its `exp` claim), or null when unknown.
  accessTokenTtl(now = Date.now()): number | null {
    const token = this.tokens?.access_token;
    if (!token) return null;
    try {
      const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return typeof payload.exp === 'number' ? payload.exp - now / 1000 : null;
    } catch {
      return null;
    }
  }

  // A valid access token for the live feed: refreshed first when it is about to expire.
  async freshAccessToken(): Promise<string | null> {
    const ttl = this.accessTokenTtl();
    if (ttl !== null && ttl < 60) await this.refresh();
    return this.accessToken;
  }

  // Exchanges the refresh token once; concurrent callers share the attempt.
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      const refresh = this.tokens?.refresh_token;
      this.refreshing = (async () => {
        if (!refresh) return false;
        try {
          const pair = await this.raw<TokenPair>('POST', '/api/v1/auth/refresh', {
            refresh_token: refresh,
          });
          this.setTokens(pair);
          return true;
        } catch (error) {
          // Refused (spent, expired, user disabled): log out. Network trouble: keep the tokens.
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
            this.setTokens(null);
          }
          return false;
        }
      })().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }
  async post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  async patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  async del<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  // An authenticated request; on 401 the tokens are refreshed once and the request repeated.
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const sentWith = this.tokens?.access_token;
    try {
      return await this.raw<T>(method, path, body, sentWith, signal);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !this.tokens) throw error;
      // Another request may have refreshed already.
      if (this.tokens.access_token === sentWith && !(await this.refresh())) throw error;
      return this.raw<T>(method, path, body, this.tokens?.access_token, signal);
    }
  }

  private async raw<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    signal?: AbortSignal,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        keepalive: method === 'POST' && path.startsWith('/api/v1/telemetry'),
      });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', 'the server cannot be reached');
    }
    const text = await response.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!response.ok) {
      const err = (json as { error?: { code?: string; message?: string; field?: string } })?.error;
      throw new ApiError(
        response.status,
        err?.code ?? 'http_' + response.status,
        err?.message ?? `${response.status} ${response.statusText}`,
        err?.field,
      );
    }
    return json as T;
  }
}

export const api = new ApiClient();
