// Evaluations: the server pages, filters and orders the list (newest or oldest first); other
// columns sort the page in hand. evaluation.updates keeps the rows' status current without a
// reload, and new submissions appear on the first page.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ErrorNote, Loading, Panel } from '../components/common';
import { api, ApiError } from '../lib/api';
import { useChannel, useResource } from '../lib/live';
import { Link, navigate, useLocation, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import {
  evaluationQuery,
  fmt,
  pageCount,
  sortRows,
  type EvaluationFilters,
  type SortDirection,
} from '../lib/transforms';
import type { Evaluation, EvaluationUpdate, Page } from '../lib/types';
import { EvaluationStatus, RegressionFlag } from './evaluation-bits';

const FILTER_KEYS = ['agent_id', 'agent_type', 'environment', 'status', 'since', 'until'] as const;
const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
const SIZES = [25, 50, 100];

type SortKey = 'created' | 'agent_id' | 'agent_type' | 'environment' | 'status' | 'mean_reward' | 'success_rate' | 'regression';

const SORT_VALUE: Record<Exclude<SortKey, 'created'>, (e: Evaluation) => unknown> = {
  agent_id: (e) => e.agent_id,
  agent_type: (e) => e.agent_type,
  environment: (e) => e.environment,
  status: (e) => e.status,
  mean_reward: (e) => e.metrics?.mean_reward,
  success_rate: (e) => e.metrics?.success_rate,
  regression: (e) => e.regression?.regression_score,
};

interface Environment {
  id: string;
}

export function EvaluationsPage() {
  useTitle('Evaluations');
  const { search } = useLocation();
  const filters: EvaluationFilters = {};
  for (const key of FILTER_KEYS) filters[key] = search.get(key) ?? '';
  const page = Math.max(0, Number(search.get('page') ?? '0') || 0);
  const size = SIZES.includes(Number(search.get('size'))) ? Number(search.get('size')) : 50;
  const order = search.get('order') === 'oldest' ? 'oldest' : 'newest';
  const sort = (search.get('sort') ?? 'created') as SortKey;
  const direction: SortDirection = search.get('dir') === 'asc' ? 'asc' : 'desc';

  const setParams = (patch: Record<string, string | number | null>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    navigate(`/evaluations${next.size ? '?' + next.toString() : ''}`);
  };

  // Oldest first needs the total to count back from the end: the newest-first total of the
  // same filters, kept from the last answer.
  const totalRef = useRef<number | null>(null);
  const filterKey = FILTER_KEYS.map((k) => filters[k]).join('|');
  useEffect(() => {
    totalRef.current = null;
  }, [filterKey]);
  const totalQuery = useResource<Page>(
    order === 'oldest' && totalRef.current === null
      ? `/api/v1/evaluations?${evaluationQuery(filters, 0, 1, 'newest', null).query}`
      : null,
  );
  if (totalQuery.data) totalRef.current = totalQuery.data.total;
  const q =
    order === 'oldest' && totalRef.current === null
      ? null
      : evaluationQuery(filters, page, size, order, totalRef.current);
  const list = useResource<{ evaluations: Evaluation[] } & Page>(q ? `/api/v1/evaluations?${q.query}` : null);
  if (list.data && order === 'newest') totalRef.current = list.data.total;

  // Live: rows change status in place; a new evaluation reloads the first page (debounced).
  const reloadSoon = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(reloadSoon.current), []);
  useChannel<EvaluationUpdate>('evaluation.updates', (update) => {
    const evaluation = update?.evaluation;
    if (!evaluation) return;
    const present = list.data?.evaluations.some((e) => e.id === evaluation.id);
    if (present) {
      list.set((previous) =>
        previous
          ? { ...previous, evaluations: previous.evaluations.map((e) => (e.id === evaluation.id ? { ...e, ...evaluation } : e)) }
          : previous,
      );
    } else if (update.event === 'queued' && page === 0 && order === 'newest') {
      clearTimeout(reloadSoon.current);
      reloadSoon.current = setTimeout(() => list.reload(), 250);
    }
  });

  const rows = useMemo(() => {
    const evaluations = list.data?.evaluations ?? [];
    const ordered = q?.reverse ? [...evaluations].reverse() : evaluations;
    if (sort === 'created') return ordered;
    return sortRows(ordered, SORT_VALUE[sort], direction);
  }, [list.data, q?.reverse, sort, direction]);

  // For the browser test's timing: when rows first reach the screen after this page mounted.
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    performance.mark('tars:evaluations-rows');
  }, [rows.length]);

  const total = list.data?.total ?? totalRef.current ?? 0;
  const pages = pageCount(total, size);

  const sortHeader = (key: SortKey, label: string, numeric = false) => {
    const active = sort === key;
    const ariaSort = active
      ? key === 'created'
        ? order === 'newest'
          ? 'descending'
          : 'ascending'
        : direction === 'asc'
          ? 'ascending'
          : 'descending'
      : 'none';
    const toggle = () => {
      if (key === 'created') setParams({ sort: null, dir: null, order: active && order === 'newest' ? 'oldest' : null, page: 0 });
      else setParams({ sort: key, dir: active && direction === 'desc' ? 'asc' : 'desc' });
    };
    const arrow = !active ? '↕' : ariaSort === 'ascending' ? '↑' : '↓';
    return (
      <th scope="col" aria-sort={ariaSort} className={numeric ? 'num' : undefined}>
        <button type="button" className="sort" onClick={toggle} title={key === 'created' ? 'Server-side order' : 'Sorts this page'}>
          {label} <span aria-hidden="true">{arrow}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="page">
      <h1>Evaluations</h1>
      <Filters filters={filters} onApply={(f) => setParams({ ...f, page: 0 })} />
      <SubmitEvaluation onSubmitted={() => (page === 0 && order === 'newest' ? list.reload() : setParams({ page: 0, order: null }))} />
      <Panel
        title={`${fmt(total)} evaluation${total === 1 ? '' : 's'}`}
        receivedAt={list.receivedAt}
        actions={
          <label className="inline">
            Rows per page{' '}
            <select value={size} onChange={(e) => setParams({ size: e.target.value, page: 0 })}>
              {SIZES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        }
      >
        <ErrorNote error={list.error ?? totalQuery.error} />
        <Loading show={list.loading && !list.data} />
        <table className="table" aria-busy={list.loading} data-testid="evaluations-table">
          <thead>
            <tr>
              {sortHeader('created', 'id / created')}
              {sortHeader('agent_id', 'agent')}
              {sortHeader('agent_type', 'type')}
              {sortHeader('environment', 'environment')}
              {sortHeader('status', 'status')}
              {sortHeader('mean_reward', 'mean reward', true)}
              {sortHeader('success_rate', 'success', true)}
              {sortHeader('regression', 'regression')}
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-id={e.id}>
                <td>
                  <Link to={`/evaluations/${e.id}`}>#{e.id}</Link>{' '}
                  <time className="muted small" dateTime={e.created_at}>
                    {e.created_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}
                  </time>
                </td>
                <td>{e.agent_id}</td>
                <td>{e.agent_type}</td>
                <td>{e.environment}</td>
                <td>
                  <EvaluationStatus status={e.status} />
                </td>
                <td className="num">{fmt(e.metrics?.mean_reward)}</td>
                <td className="num">{e.metrics ? `${Math.round(e.metrics.success_rate * 100)}%` : '—'}</td>
                <td>
                  <RegressionFlag evaluation={e} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && rows.length === 0 ? <p className="muted">No evaluations match.</p> : null}
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={page === 0} onClick={() => setParams({ page: 0 })}>
            « First
          </button>
          <button type="button" disabled={page === 0} onClick={() => setParams({ page: page - 1 })}>
            ‹ Previous
          </button>
          <span aria-live="polite" data-testid="page-label">
            Page {fmt(page + 1)} of {fmt(pages)}
          </span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setParams({ page: page + 1 })}>
            Next ›
          </button>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setParams({ page: pages - 1 })}>
            Last »
          </button>
        </nav>
      </Panel>
    </div>
  );
}

function Filters({ filters, onApply }: { filters: EvaluationFilters; onApply: (f: Record<string, string>) => void }) {
  const [draft, setDraft] = useState<Record<string, string>>(filters as Record<string, string>);
  const [error, setError] = useState<string | null>(null);
  const environments = useResource<{ environments: Environment[] }>('/api/v1/environments');
  const key = JSON.stringify(filters);
  useEffect(() => setDraft(filters as Record<string, string>), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.since && draft.until && new Date(draft.until) < new Date(draft.since)) {
      setError('"until" must not be before "since".');
      return;
    }
    setError(null);
    onApply(draft);
  };
  const input = (name: string, label: string, type = 'text') => (
    <label>
      {label}
      <input name={name} type={type} value={draft[name] ?? ''} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
    </label>
  );
  return (
    <form className="panel filters" onSubmit={submit} aria-label="Filters" noValidate>
      {input('agent_id', 'Agent')}
      {input('agent_type', 'Type')}
      <label>
        Environment
        <select value={draft.environment ?? ''} onChange={(e) => setDraft({ ...draft, environment: e.target.value })}>
          <option value="">any</option>
          {(environments.data?.environments ?? []).map((env) => (
            <option key={env.id}>{env.id}</option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={draft.status ?? ''} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      {input('since', 'Since', 'datetime-local')}
      {input('until', 'Until', 'datetime-local')}
      <div className="actions">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          className="ghost"
          onClick={() => {
            const empty = Object.fromEntries(FILTER_KEYS.map((k) => [k, '']));
            setDraft(empty);
            onApply(empty);
          }}
        >
          Clear
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

// Developers submit a random or heuristic policy's evaluation (POST /api/v1/evaluations).
function SubmitEvaluation({ onSubmitted }: { onSubmitted: () => void }) {
  const { can } = useSession();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ policy: 'heuristic', environment: 'CartPole-v1', episodes: '10', agent_id: '' });
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const environments = useResource<{ environments: Environment[] }>(open ? '/api/v1/environments' : null);
  if (!can('developer')) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const episodes = Number(form.episodes);
    if (!Number.isInteger(episodes) || episodes < 1 || episodes > 10000) {
      setFieldError({ field: 'episodes', message: 'episodes: a whole number from 1 to 10 000' });
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const body: Record<string, unknown> = { policy: form.policy, environment: form.environment, episodes };
      if (form.agent_id.trim()) body.agent_id = form.agent_id.trim();
      await api.post('/api/v1/evaluations', body);
      onSubmitted();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
      if (err.field) setFieldError({ field: err.field, message: err.message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <p>
        <button type="button" className="ghost" onClick={() => setOpen(true)}>
          + New evaluation
        </button>
      </p>
    );
  }
  return (
    <form className="panel filters" onSubmit={submit} aria-label="New evaluation" noValidate>
      <label>
        Policy
        <select value={form.policy} onChange={(e) => setForm({ ...form, policy: e.target.value })}>
          <option>heuristic</option>
          <option>random</option>
        </select>
      </label>
      <label>
        Environment
        <select value={form.environment} onChange={(e) => setForm({ ...form, environment: e.target.value })}>
          {(environments.data?.environments ?? [{ id: 'CartPole-v1' }]).map((env) => (
            <option key={env.id}>{env.id}</option>
          ))}
        </select>
      </label>
      <label>
        Episodes
        <input
          value={form.episodes}
          inputMode="numeric"
          onChange={(e) => setForm({ ...form, episodes: e.target.value })}
          aria-invalid={fieldError?.field === 'episodes'}
        />
      </label>
      <label>
        Agent id (optional)
        <input value={form.agent_id} onChange={(e) => setForm({ ...form, agent_id: e.target.value })} />
      </label>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit'}
        </button>
        <button type="button" className="ghost" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
      {fieldError ? (
        <p className="field-error" role="alert">
          {fieldError.message}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </form>
  );
}
