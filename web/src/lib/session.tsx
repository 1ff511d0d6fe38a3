// Who is logged in: tokens in the API client, the principal from GET /api/v1/auth/me, and the
// role ladder viewer < developer < admin that decides what the navigation and forms offer.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from './api';

export type Role = 'viewer' | 'developer' | 'admin';
const RANK: Record<string, number> = { viewer: 0, developer: 1, admin: 2 };

export function hasRole(role: string | undefined, need: Role): boolean {
  return role !== undefined && (RANK[role] ?? -1) >= RANK[need];
}

export interface Me {
  user_id: number;
  username: string;
  role: Role;
  kind: string;
}

interface SessionValue {
  me: Me | null;
  checking: boolean;
  error: ApiError | null;
  login: (username: string, password: string) => Promise<void>;
  exchange: (token: string) => Promise<void>;
  logout: () => Promise<void>;
  can: (need: Role) => boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(api.loggedIn);
  const [error, setError] = useState<ApiError | null>(null);

  const loadMe = useCallback(async () => {
    if (!api.loggedIn) {
      setMe(null);
      setChecking(false);
      return;
    }
    setChecking(true);
    try {
      setMe(await api.get<Me>('/api/v1/auth/me'));
      setError(null);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
      if (err.status === 401) api.setTokens(null);
      setError(err);
      setMe(null);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    void loadMe();
    // Logged out elsewhere (a refused refresh): back to the login page.
    return api.onTokens((tokens) => {
      if (!tokens) setMe(null);
    });
  }, [loadMe]);

  const value: SessionValue = {
    me,
    checking,
    error,
    login: async (username, password) => {
      await api.login(username, password);
      await loadMe();
    },
    exchange: async (token) => {
      await api.exchangeLoginToken(token);
      await loadMe();
    },
    logout: async () => {
      await api.logout();
      setMe(null);
    },
    can: (need) => hasRole(me?.role, need),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
