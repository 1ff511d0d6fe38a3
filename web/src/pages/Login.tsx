// Login with username and password, or with the one-time link printed at the first start
// (/?token=... → POST /api/v1/auth/token).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../lib/api';
import { navigate, useLocation, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import { ErrorNote } from '../components/common';

export function LoginPage() {
  useTitle('Log in');
  const { login, exchange, error: sessionError } = useSession();
  const { search, path } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  const linkToken = search.get('token');
  const exchanged = useRef(false);

  useEffect(() => {
    if (!linkToken || exchanged.current) return;
    exchanged.current = true;
    setBusy(true);
    exchange(linkToken)
      .then(() => navigate(path === '/login' ? '/' : path, true))
      .catch((e) => {
        setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
        navigate('/login', true); // the link works once: drop it from the address bar
      })
      .finally(() => setBusy(false));
  }, [linkToken, exchange, path]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: typeof fieldErrors = {};
    if (!username.trim()) errors.username = 'Enter your username.';
    if (!password) errors.password = 'Enter your password.';
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      navigate(path === '/login' ? '/' : path + (search.size ? '' : ''), true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="panel login-form" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">T.A.R.S.</h1>
        <p className="muted">Log in to the dashboard.</p>
        {linkToken && busy ? <p aria-live="polite">Signing in with the one-time link…</p> : null}
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={!!fieldErrors.username}
            aria-describedby={fieldErrors.username ? 'username-error' : undefined}
          />
        </label>
        {fieldErrors.username ? (
          <span id="username-error" className="field-error">
            {fieldErrors.username}
          </span>
        ) : null}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={!!fieldErrors.password}
            aria-describedby={fieldErrors.password ? 'password-error' : undefined}
          />
        </label>
        {fieldErrors.password ? (
          <span id="password-error" className="field-error">
            {fieldErrors.password}
          </span>
        ) : null}
        <ErrorNote error={error ?? (sessionError && sessionError.status !== 401 ? sessionError : null)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
