// The shell: session, live connection, role-aware navigation, theme toggle and the routes.
import { lazy, Suspense, useEffect, useState } from 'react';
import { api } from './lib/api';
import { LiveProvider } from './lib/live';
import { Link, match, navigate, useLocation } from './lib/router';
import { SessionProvider, useSession, type Role } from './lib/session';
import { StatusIndicator } from './components/StatusIndicator';
import { LoginPage } from './pages/Login';
import { EvaluationsPage } from './pages/Evaluations';

// Pages load on demand: the charting library comes with the pages that chart.
const OverviewPage = lazy(() => import('./pages/Overview'));
const AgentPage = lazy(() => import('./pages/Agent'));
const EvaluationDetailPage = lazy(() => import('./pages/EvaluationDetail'));
const CoordinationPage = lazy(() => import('./pages/Coordination'));
const EnvironmentsPage = lazy(() => import('./pages/Environments'));
const AdminPage = lazy(() => import('./pages/Admin'));

const NAV: { to: string; label: string; need: Role }[] = [
  { to: '/', label: 'Overview', need: 'viewer' },
  { to: '/evaluations', label: 'Evaluations', need: 'viewer' },
  { to: '/coordination', label: 'Coordination', need: 'viewer' },
  { to: '/environments', label: 'Environments', need: 'viewer' },
  { to: '/admin', label: 'Admin', need: 'admin' },
];

type Theme = 'light' | 'dark' | 'system';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('tars.theme') as Theme) ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
    localStorage.setItem('tars.theme', theme);
  }, [theme]);
  return [theme, setTheme];
}

function ThemeToggle() {
  const [theme, setTheme] = useTheme();
  const next: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
  const label = { system: '◑ System theme', light: '☀ Light theme', dark: '☾ Dark theme' }[theme];
  return (
    <button type="button" className="ghost" onClick={() => setTheme(next[theme])} title="Switch theme">
      {label}
    </button>
  );
}

function Routes() {
  const { path } = useLocation();
  const { can, checking } = useSession();
  let params: Record<string, string> | null;
  if (path === '/' || path === '/overview') return <OverviewPage />;
  if ((params = match('/agents/:id', path))) return <AgentPage id={params.id} />;
  if (path === '/evaluations') return <EvaluationsPage />;
  if ((params = match('/evaluations/:id', path))) return <EvaluationDetailPage id={params.id} />;
  if (path === '/coordination') return <CoordinationPage />;
  if (path === '/environments') return <EnvironmentsPage />;
  if (path === '/admin') {
    if (checking) return <p className="muted">Loading…</p>;
    return can('admin') ? <AdminPage /> : <p className="error" role="alert">Admins only.</p>;
  }
  return (
    <section className="panel">
      <h2>Not found</h2>
      <p>
        Nothing at <code>{path}</code>. <Link to="/">Back to the overview</Link>.
      </p>
    </section>
  );
}

function Shell() {
  const { me, logout, can } = useSession();
  const { path } = useLocation();
  return (
    <LiveProvider>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          T.A.R.S.
        </Link>
        <nav aria-label="Main">
          {NAV.filter((n) => can(n.need)).map((n) => {
            const active = n.to === '/' ? path === '/' || path.startsWith('/agents') : path.startsWith(n.to);
            return (
              <Link key={n.to} to={n.to} aria-current={active ? 'page' : undefined} className={active ? 'active' : ''}>
                {n.label}
              </Link>
            );
          })}
        </nav>
        <div className="spacer" />
        <StatusIndicator />
        <ThemeToggle />
        <span className="who" title={`role: ${me?.role}`}>
          {me?.username} <span className="role">{me?.role}</span>
        </span>
        <button
          type="button"
          className="ghost"
          onClick={() => {
            void logout().then(() => navigate('/login'));
          }}
        >
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Routes />
        </Suspense>
      </main>
    </LiveProvider>
  );
}

function Gate() {
  const { me, checking } = useSession();
  const { path, search } = useLocation();
  const hasLinkToken = search.has('token');
  // With stored tokens the shell renders at once (its requests go out while /auth/me answers;
  // a 401 there logs out); the role-dependent parts appear when the principal is known.
  if (checking && api.loggedIn && !hasLinkToken && path !== '/login') return <Shell />;
  if (checking) return <p className="muted center">Loading…</p>;
  if (!me || hasLinkToken || path === '/login') {
    if (me && path === '/login') {
      navigate('/', true);
      return null;
    }
    return <LoginPage />;
  }
  return <Shell />;
}

export function App() {
  return (
    <SessionProvider>
      <ThemeBoot />
      <Gate />
    </SessionProvider>
  );
}

// Applies the stored theme before the login page too.
function ThemeBoot() {
  useTheme();
  return null;
}
