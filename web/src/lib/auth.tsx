import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, get, post, setCsrfToken, whenUnauthorised } from './api.js';

export type Role = 'admin' | 'analyst' | 'officer' | 'auditor' | 'integration';

export interface User {
  id: string;
  username: string;
  role: Role;
  offices: string[] | 'all';
}

interface Session {
  user: User;
  csrfToken: string;
}

interface AuthState {
  user: User | null;
  checking: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export const AuthProvider = ({ children }: { children: ReactNode }) => {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setUser(session.user);
  }, []);

  useEffect(() => {
    whenUnauthorised(() => {
      setCsrfToken(null);
      setUser(null);
    });
    get<Session>('/auth/me')
      .then(accept)
      .catch((error: unknown) => {
        if (!(error instanceof ApiError)) console.error(error);
      })
      .finally(() => setChecking(false));
  }, [accept]);

  const login = useCallback(async (username: string, password: string) => accept(await post<Session>('/auth/login', { username, password })), [accept]);
  const logout = useCallback(async () => {
    try {
      await post('/auth/logout');
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  return <AuthContext.Provider value={{ user, checking, login, logout }}>{children}</AuthContext.Provider>;
};

export const useAuth = (): AuthState => {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
};

export type Area = 'map' | 'queue' | 'screening' | 'dashboards' | 'admin' | 'decide' | 'assign' | 'screening-review';

/**
 * What each role sees in the UI. The server is the authority (it refuses what a role may not do);
 * this only keeps people from being shown buttons that would be refused.
 */
const AREAS: Record<Role, readonly Area[]> = {
  admin: ['map', 'queue', 'screening', 'dashboards', 'admin', 'decide', 'assign', 'screening-review'],
  analyst: ['map', 'queue', 'screening', 'dashboards', 'decide', 'assign', 'screening-review'],
  officer: ['map', 'queue', 'screening', 'decide', 'assign', 'screening-review'],
  auditor: ['map', 'queue', 'screening', 'dashboards'],
  integration: [],
};

export const can = (user: User | null, area: Area): boolean => (user ? AREAS[user.role].includes(area) : false);
