// One agent: reward curve with its rolling mean and ±1σ band, loss curves, exploration (entropy /
// ε / noise σ), KL and clip fraction for PPO, and the hyperparameters with their class; developers
// edit hot and warm ones (checked here first, then by the server, whose error shows in place).
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Chart, color } from '../components/Chart';
import { ErrorNote, Loading, Panel } from '../components/common';
import { api, ApiError } from '../lib/api';
import { useChannel, useFrameVersion, useResource } from '../lib/live';
import { Link, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import {
  fmt,
  formatBytes,
  METRIC_LABELS,
  rollingStats,
  validateHyperparameter,
  type Hyperparameter,
} from '../lib/transforms';
import type { Agent, AgentHistoryEntry, AgentMetrics } from '../lib/types';

const HISTORY = 500; // episodes loaded and kept
const ROLLING = 20; // episodes in the rolling mean and band

interface Point {
  episode: number;
  reward: number;
  metrics: AgentMetrics;
}

const LOSSES = ['loss', 'value_loss', 'policy_loss', 'actor_loss', 'critic_loss'];
const EXPLORATION = ['entropy', 'epsilon', 'noise_sigma'];
const PPO_EXTRA = ['approx_kl', 'clip_fraction', 'explained_variance'];

export default function AgentPage({ id }: { id: string }) {
  useTitle(`Agent ${id}`);
  const agent = useResource<Agent>(`/api/v1/agents/${encodeURIComponent(id)}`);
  const history = useResource<{ history: AgentHistoryEntry[] }>(
    `/api/v1/agents/${encodeURIComponent(id)}/history?limit=${HISTORY}`,
  );
  const livePoints = useRef<Point[]>([]);
  const liveAgent = useRef<Agent | null>(null);
  const [version, bump] = useFrameVersion();

  // History (newest first from the server) plus what arrived live since it was loaded.
  const base = useMemo(() => {
    livePoints.current = [];
    return [...(history.data?.history ?? [])]
      .reverse()
      .map((h) => ({ episode: h.episode, reward: h.reward, metrics: h.metrics ?? {} }));
  }, [history.data]);

  useChannel<Agent>('agent.status', (data) => {
    if (data?.id !== id) return;
    liveAgent.current = data;
    const last = livePoints.current[livePoints.current.length - 1] ?? base[base.length - 1];
    if (!last || data.episode > last.episode) {
      livePoints.current.push({ episode: data.episode, reward: data.last_episode_reward, metrics: data.metrics ?? {} });
      if (livePoints.current.length > HISTORY) livePoints.current.shift();
    }
    bump();
  });

  const points = useMemo(() => [...base, ...livePoints.current].slice(-HISTORY), [base, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const columns = useMemo(() => {
    const episodes = points.map((p) => p.episode);
    const rewards = points.map((p) => p.reward);
    const stats = rollingStats(rewards, ROLLING);
    const metric = (name: string) => points.map((p) => p.metrics?.[name] ?? NaN);
    return { episodes, rewards, stats, metric };
  }, [points]);

  const current: Agent | null = agent.data ? { ...agent.data, ...(liveAgent.current ?? {}), hyperparameters: agent.data.hyperparameters } : liveAgent.current;
  const present = (names: string[]) => names.filter((n) => points.some((p) => typeof p.metrics?.[n] === 'number'));
  const losses = present(LOSSES);
  const explore = present(EXPLORATION);
  const ppo = present(PPO_EXTRA);

  if (agent.error?.unavailable && !current) {
    return (
      <div className="page">
        <h1>Agent {id}</h1>
        <ErrorNote error={agent.error} what="Orchestrator" />
        <Link to="/">← Overview</Link>
      </div>
    );
  }

  return (
    <div className="page">
      <h1>
        Agent {id} {current ? <span className="badge">{current.algorithm?.toUpperCase()}</span> : null}
      </h1>
      <Loading show={agent.loading && !current} />
      <ErrorNote error={agent.error} />
      {current ? (
        <Panel title="Status" receivedAt={agent.receivedAt}>
          <dl className="kv wide">
            <dt>role</dt>
            <dd>{current.role}</dd>
            <dt>episode</dt>
            <dd>{fmt(current.episode)}</dd>
            <dt>steps</dt>
            <dd>{fmt(current.steps)}</dd>
            <dt>last episode reward</dt>
            <dd>{fmt(current.last_episode_reward)}</dd>
            <dt>reward mean 10 / 100</dt>
            <dd>
              {fmt(current.reward_mean_10)} / {fmt(current.reward_mean_100)}
            </dd>
            {Object.entries(current.metrics ?? {}).map(([k, v]) => (
              <FragmentKV key={k} k={METRIC_LABELS[k] ?? k} v={fmt(v)} />
            ))}
            <dt>memory</dt>
            <dd>{formatBytes(current.memory_bytes)}</dd>
          </dl>
        </Panel>
      ) : null}

      <Panel title="Reward" receivedAt={history.receivedAt}>
        <ErrorNote error={history.error} what={history.error?.unavailable ? 'Orchestrator' : undefined} />
        <Chart
          title={`Episode reward, rolling mean and ±1σ band over ${ROLLING} episodes`}
          series={[
            { label: 'reward', color: color(0), width: 1 },
            { label: `mean ${ROLLING}`, color: color(1), width: 2 },
            { label: '−1σ', color: 'rgba(228,87,46,0.4)', band: true },
            { label: '+1σ', color: 'rgba(228,87,46,0.4)', band: true },
          ]}
          bands={[[4, 3]]}
          data={() => [columns.episodes, columns.rewards, columns.stats.mean, columns.stats.lower, columns.stats.upper]}
          version={version + (history.receivedAt ?? 0)}
          xLabel="episode"
          height={260}
        />
      </Panel>
      <div className="grid-2">
        {losses.length ? (
          <Panel title="Losses">
            <Chart
              title="Losses"
              series={losses.map((n, i) => ({ label: METRIC_LABELS[n] ?? n, color: color(i) }))}
              data={() => [columns.episodes, ...losses.map(columns.metric)]}
              version={version + (history.receivedAt ?? 0)}
              xLabel="episode"
            />
          </Panel>
        ) : null}
        {explore.length ? (
          <Panel title="Exploration">
            <Chart
              title="Exploration"
              series={explore.map((n, i) => ({ label: METRIC_LABELS[n] ?? n, color: color(i + 2) }))}
              data={() => [columns.episodes, ...explore.map(columns.metric)]}
              version={version + (history.receivedAt ?? 0)}
              xLabel="episode"
            />
          </Panel>
        ) : null}
        {ppo.length ? (
          <Panel title="PPO diagnostics">
            <Chart
              title="KL, clip fraction, explained variance"
              series={ppo.map((n, i) => ({ label: METRIC_LABELS[n] ?? n, color: color(i + 3) }))}
              data={() => [columns.episodes, ...ppo.map(columns.metric)]}
              version={version + (history.receivedAt ?? 0)}
              xLabel="episode"
            />
          </Panel>
        ) : null}
      </div>

      {agent.data?.hyperparameters ? (
        <HyperparameterPanel
          agentId={id}
          hyperparameters={agent.data.hyperparameters}
          onUpdated={(updated) => agent.set(() => updated)}
          receivedAt={agent.receivedAt}
        />
      ) : null}
    </div>
  );
}

function FragmentKV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

function HyperparameterPanel({
  agentId,
  hyperparameters,
  onUpdated,
  receivedAt,
}: {
  agentId: string;
  hyperparameters: Hyperparameter[];
  onUpdated: (agent: Agent) => void;
  receivedAt: number | null;
}) {
  const { can } = useSession();
  const editable = can('developer');
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const changed = Object.entries(draft).filter(([name, value]) => {
    const hp = hyperparameters.find((h) => h.name === name);
    return hp && value !== hp.value;
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const [name, value] of changed) {
      const hp = hyperparameters.find((h) => h.name === name)!;
      const problem = validateHyperparameter(hp, value);
      if (problem) found[name] = problem;
    }
    setErrors(found);
    setServerError(null);
    setSaved(null);
    if (Object.keys(found).length || changed.length === 0) return;
    setBusy(true);
    try {
      const values = Object.fromEntries(changed.map(([n, v]) => [n, v.trim()]));
      const updated = await api.post<Agent>(`/api/v1/agents/${encodeURIComponent(agentId)}/hyperparameters`, {
        values,
      });
      onUpdated(updated);
      setDraft({});
      setSaved(`Applied: ${Object.keys(values).join(', ')}`);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
      const field = error.field?.replace(/^values\./, '');
      if (field && hyperparameters.some((h) => h.name === field)) setErrors({ [field]: error.message });
      else setServerError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Hyperparameters" receivedAt={receivedAt}>
      <p className="muted small">
        <strong>hot</strong>: applied at the next update · <strong>warm</strong>: applied at the next episode ·{' '}
        <strong>cold</strong>: needs a restart (read-only here)
      </p>
      <form onSubmit={submit} noValidate>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">name</th>
              <th scope="col">value</th>
              <th scope="col">class</th>
              <th scope="col">type / bounds</th>
              <th scope="col">description</th>
            </tr>
          </thead>
          <tbody>
            {hyperparameters.map((hp) => {
              const canEdit = editable && hp.class !== 'cold';
              const value = draft[hp.name] ?? hp.value;
              const inputId = `hp-${hp.name}`;
              return (
                <tr key={hp.name}>
                  <th scope="row">
                    <label htmlFor={inputId}>{hp.name}</label>
                  </th>
                  <td>
                    {canEdit ? (
                      hp.type === 'bool' || hp.type === 'choice' ? (
                        <select
                          id={inputId}
                          value={value}
                          onChange={(e) => setDraft({ ...draft, [hp.name]: e.target.value })}
                          aria-invalid={!!errors[hp.name]}
                        >
                          {(hp.type === 'bool' ? ['true', 'false'] : (hp.choices ?? [])).map((c) => (
                            <option key={c}>{c}</option>
                          ))}
                        </select>
                      ) : (
                        <input
                          id={inputId}
                          value={value}
                          inputMode={hp.type === 'schedule' ? 'text' : 'decimal'}
                          onChange={(e) => setDraft({ ...draft, [hp.name]: e.target.value })}
                          aria-invalid={!!errors[hp.name]}
                          aria-describedby={errors[hp.name] ? `${inputId}-error` : undefined}
                        />
                      )
                    ) : (
                      <code id={inputId}>{hp.value}</code>
                    )}
                    {errors[hp.name] ? (
                      <span id={`${inputId}-error`} className="field-error" role="alert">
                        {errors[hp.name]}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <span className={`pill class-${hp.class}`}>{hp.class}</span>
                  </td>
                  <td className="small">
                    {hp.type}
                    {hp.min !== undefined || hp.max !== undefined ? ` [${hp.min ?? '−∞'}, ${hp.max ?? '∞'}]` : ''}
                    {hp.choices ? ` {${hp.choices.join(', ')}}` : ''}
                  </td>
                  <td className="small muted">{hp.description}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <ErrorNote error={serverError} />
        {saved ? (
          <p className="ok" role="status">
            ✓ {saved}
          </p>
        ) : null}
        {editable ? (
          <div className="actions">
            <button type="submit" disabled={busy || changed.length === 0}>
              {busy ? 'Applying…' : `Apply ${changed.length || ''} change${changed.length === 1 ? '' : 's'}`}
            </button>
            <button type="button" className="ghost" disabled={busy || changed.length === 0} onClick={() => { setDraft({}); setErrors({}); }}>
              Reset
            </button>
          </div>
        ) : (
          <p className="muted small">Developers and admins can edit hot and warm hyperparameters.</p>
        )}
      </form>
    </Panel>
  );
}
