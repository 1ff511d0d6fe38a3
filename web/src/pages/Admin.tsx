// Admin: users, API keys (the secret is shown once, at creation or rotation), signing keys and the
// audit log with filters.
import { useState, type FormEvent, type ReactNode } from 'react';
import { ErrorNote, Loading, Panel } from '../components/common';
import { api, ApiError } from '../lib/api';
import { useResource } from '../lib/live';
import { useTitle } from '../lib/router';
import { toIso } from '../lib/transforms';

interface User {
  id: number;
  username: string;
  role: string;
  disabled: boolean;
  created_at: string;
}
interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  role: string;
  owner_id: number;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  key?: string;
}
interface SigningKey {
  kid: string;
  created_at: string;
  retired_at: string | null;
  invalidated_at: string | null;
  signing: boolean;
  verifies: boolean;
}
interface AuditEntry {
  id: number;
  ts: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  client_ip: string;
  details: unknown;
}

const ROLES = ['viewer', 'developer', 'admin'];
const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
const short = (t: string | null) => (t ? t.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '—');

// Runs an action, keeping its error for display in place.
function useAction(): [(fn: () => Promise<unknown>) => Promise<boolean>, ApiError | null, boolean, () => void] {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(asError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [run, error, busy, () => setError(null)];
}

export default function AdminPage() {
  useTitle('Admin');
  const [tab, setTab] = useState<'users' | 'keys' | 'signing' | 'audit'>('users');
  const tabs: [typeof tab, string][] = [
    ['users', 'Users'],
    ['keys', 'API keys'],
    ['signing', 'Signing keys'],
    ['audit', 'Audit log'],
  ];
  return (
    <div className="page">
      <h1>Admin</h1>
      <div role="tablist" aria-label="Admin sections" className="tabs">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            className={tab === id ? 'active' : ''}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              const i = tabs.findIndex(([t]) => t === tab);
              if (e.key === 'ArrowRight') setTab(tabs[(i + 1) % tabs.length][0]);
              if (e.key === 'ArrowLeft') setTab(tabs[(i + tabs.length - 1) % tabs.length][0]);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'users' ? <Users /> : tab === 'keys' ? <ApiKeys /> : tab === 'signing' ? <SigningKeys /> : <Audit />}
      </div>
    </div>
  );
}

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label>
      {label}
      {children}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

function Users() {
  const users = useResource<{ users: User[] }>('/api/v1/admin/users');
  const [run, error, busy] = useAction();
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' });
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!form.username.trim()) problems.username = 'required';
    if (form.password.length < 8) problems.password = 'at least 8 characters';
    setInvalid(problems);
    if (Object.keys(problems).length) return;
    if (await run(() => api.post('/api/v1/admin/users', { ...form, username: form.username.trim() }))) {
      setForm({ username: '', password: '', role: 'viewer' });
      users.reload();
    }
  };
  const patch = async (user: User, body: Partial<User>) => {
    if (await run(() => api.patch(`/api/v1/admin/users/${user.id}`, body))) users.reload();
  };
  return (
    <Panel title="Users" receivedAt={users.receivedAt}>
      <Loading show={users.loading && !users.data} />
      <ErrorNote error={users.error ?? error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">id</th>
            <th scope="col">username</th>
            <th scope="col">role</th>
            <th scope="col">status</th>
            <th scope="col">created</th>
          </tr>
        </thead>
        <tbody>
          {(users.data?.users ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.id}</td>
              <th scope="row">{u.username}</th>
              <td>
                <select aria-label={`Role of ${u.username}`} value={u.role} disabled={busy} onChange={(e) => patch(u, { role: e.target.value })}>
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td>
                <button type="button" className="ghost" disabled={busy} onClick={() => patch(u, { disabled: !u.disabled })}>
                  {u.disabled ? '⊘ disabled — enable' : '✓ active — disable'}
                </button>
              </td>
              <td className="small">{short(u.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={create} noValidate aria-label="New user">
        <Field label="Username" error={invalid.username}>
          <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} aria-invalid={!!invalid.username} />
        </Field>
        <Field label="Password" error={invalid.password}>
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} aria-invalid={!!invalid.password} />
        </Field>
        <Field label="Role">
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={busy}>
          Create user
        </button>
      </form>
    </Panel>
  );
}

function ApiKeys() {
  const keys = useResource<{ api_keys: ApiKey[] }>('/api/v1/admin/api-keys');
  const [run, error, busy] = useAction();
  const [form, setForm] = useState({ name: '', role: 'viewer', expires_at: '' });
  const [invalid, setInvalid] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.name.trim()) {
      setInvalid('required');
      return;
    }
    setInvalid(null);
    const body: Record<string, string> = { name: form.name.trim(), role: form.role };
    if (form.expires_at) body.expires_at = toIso(form.expires_at);
    await run(async () => {
      const created = await api.post<ApiKey>('/api/v1/admin/api-keys', body);
      setSecret({ name: created.name, key: created.key ?? '' });
      setForm({ name: '', role: 'viewer', expires_at: '' });
      keys.reload();
    });
  };
  const rotate = (k: ApiKey) =>
    run(async () => {
      const rotated = await api.post<ApiKey>(`/api/v1/admin/api-keys/${k.id}/rotate`);
      setSecret({ name: rotated.name, key: rotated.key ?? '' });
      keys.reload();
    });
  const revoke = (k: ApiKey) =>
    run(async () => {
      if (!window.confirm(`Revoke the API key "${k.name}"? Clients using it stop working at once.`)) return;
      await api.del(`/api/v1/admin/api-keys/${k.id}`);
      keys.reload();
    });
  return (
    <Panel title="API keys" receivedAt={keys.receivedAt}>
      <Loading show={keys.loading && !keys.data} />
      <ErrorNote error={keys.error ?? error} />
      {secret ? (
        <div className="secret" role="alert" data-testid="api-key-secret">
          <p>
            <strong>Copy the key “{secret.name}” now: it is shown only this once.</strong>
          </p>
          <code className="secret-value">{secret.key}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(secret.key)}>
            Copy
          </button>{' '}
          <button type="button" className="ghost" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      ) : null}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">prefix</th>
            <th scope="col">role</th>
            <th scope="col">created</th>
            <th scope="col">expires</th>
            <th scope="col">last used</th>
            <th scope="col">status</th>
            <th scope="col">actions</th>
          </tr>
        </thead>
        <tbody>
          {(keys.data?.api_keys ?? []).map((k) => (
            <tr key={k.id} data-key-name={k.name}>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.prefix}</code>
              </td>
              <td>{k.role}</td>
              <td className="small">{short(k.created_at)}</td>
              <td className="small">{short(k.expires_at)}</td>
              <td className="small">{short(k.last_used_at)}</td>
              <td>{k.revoked_at ? <span className="pill bad">⊘ revoked</span> : <span className="pill ok">✓ active</span>}</td>
              <td>
                {k.revoked_at ? null : (
                  <>
                    <button type="button" className="ghost" disabled={busy} onClick={() => rotate(k)}>
                      Rotate
                    </button>{' '}
                    <button type="button" className="danger" disabled={busy} onClick={() => revoke(k)}>
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={create} noValidate aria-label="New API key">
        <Field label="Name" error={invalid ?? undefined}>
          <input name="key-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} aria-invalid={!!invalid} />
        </Field>
        <Field label="Role">
          <select name="key-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field label="Expires (optional)">
          <input type="datetime-local" value={form.expires_at} onChange={(e) => setForm({ ...form, expires_at: e.target.value })} />
        </Field>
        <button type="submit" disabled={busy}>
          Create API key
        </button>
      </form>
    </Panel>
  );
}

function SigningKeys() {
  const keys = useResource<{ signing_keys: SigningKey[] }>('/api/v1/admin/signing-keys');
  const [run, error, busy] = useAction();
  return (
    <Panel
      title="JWT signing keys"
      receivedAt={keys.receivedAt}
      actions={
        <button type="button" disabled={busy} onClick={() => void run(() => api.post('/api/v1/admin/signing-keys/rotate')).then((ok) => ok && keys.reload())}>
          Rotate signing key
        </button>
      }
    >
      <p className="muted small">Rotating keeps the old key verifying for the grace period; invalidating ends its tokens at once (including, possibly, yours).</p>
      <Loading show={keys.loading && !keys.data} />
      <ErrorNote error={keys.error ?? error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">kid</th>
            <th scope="col">created</th>
            <th scope="col">retired</th>
            <th scope="col">invalidated</th>
            <th scope="col">state</th>
            <th scope="col">actions</th>
          </tr>
        </thead>
        <tbody>
          {(keys.data?.signing_keys ?? []).map((k) => (
            <tr key={k.kid}>
              <th scope="row">
                <code>{k.kid}</code>
              </th>
              <td className="small">{short(k.created_at)}</td>
              <td className="small">{short(k.retired_at)}</td>
              <td className="small">{short(k.invalidated_at)}</td>
              <td>{k.signing ? '✎ signing' : k.verifies ? '✓ verifying' : '⊘ invalid'}</td>
              <td>
                {k.verifies && !k.signing ? (
                  <button
                    type="button"
                    className="danger"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        if (!window.confirm(`Invalidate key ${k.kid}? Tokens signed with it stop working at once.`)) return;
                        await api.post(`/api/v1/admin/signing-keys/${encodeURIComponent(k.kid)}/invalidate`);
                        keys.reload();
                      })
                    }
                  >
                    Invalidate
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function Audit() {
  const [filters, setFilters] = useState({ actor: '', action: '', outcome: '', since: '', until: '' });
  const [applied, setApplied] = useState(filters);
  const [offset, setOffset] = useState(0);
  const limit = 50;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(applied)) if (v) params.set(k, k === 'since' || k === 'until' ? toIso(v) : v);
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  const audit = useResource<{ entries: AuditEntry[]; total: number; has_more: boolean }>(`/api/v1/admin/audit?${params}`);
  return (
    <Panel title="Audit log" receivedAt={audit.receivedAt}>
      <form
        className="inline-form"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied(filters);
        }}
      >
        {(['actor', 'action'] as const).map((k) => (
          <Field key={k} label={k}>
            <input value={filters[k]} onChange={(e) => setFilters({ ...filters, [k]: e.target.value })} />
          </Field>
        ))}
        <Field label="outcome">
          <select value={filters.outcome} onChange={(e) => setFilters({ ...filters, outcome: e.target.value })}>
            <option value="">any</option>
            <option>success</option>
            <option>failure</option>
            <option>denied</option>
          </select>
        </Field>
        <Field label="since">
          <input type="datetime-local" value={filters.since} onChange={(e) => setFilters({ ...filters, since: e.target.value })} />
        </Field>
        <Field label="until">
          <input type="datetime-local" value={filters.until} onChange={(e) => setFilters({ ...filters, until: e.target.value })} />
        </Field>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={audit.error} />
      <Loading show={audit.loading && !audit.data} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">time</th>
            <th scope="col">actor</th>
            <th scope="col">action</th>
            <th scope="col">target</th>
            <th scope="col">outcome</th>
            <th scope="col">client</th>
            <th scope="col">details</th>
          </tr>
        </thead>
        <tbody>
          {(audit.data?.entries ?? []).map((e) => (
            <tr key={e.id}>
              <td className="small">{short(e.ts)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.target}</td>
              <td>
                <span className={`pill ${e.outcome === 'success' ? 'ok' : 'bad'}`}>{e.outcome}</span>
              </td>
              <td className="small">{e.client_ip}</td>
              <td className="small">
                <code>{e.details === null ? '' : JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Audit pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>
          ‹ Newer
        </button>
        <span>
          {audit.data ? `${offset + 1}–${offset + audit.data.entries.length} of ${audit.data.total}` : ''}
        </span>
        <button type="button" disabled={!audit.data?.has_more} onClick={() => setOffset(offset + limit)}>
          Older ›
        </button>
      </nav>
    </Panel>
  );
}
