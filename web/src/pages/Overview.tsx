// The four agents, live reward charts, global reward, conflict rate, Nash convergence and the
// latest evaluations with their regression flags. REST gives the state on load (and after every
// reconnect); agent.status, orchestration.step and evaluation.updates keep it current.
import { useEffect, useMemo, useRef } from 'react';
import { api } from '../lib/api';
import { Chart, color } from '../components/Chart';
import { ErrorNote, Loading, Panel } from '../components/common';
import { useChannel, useFrameVersion, useResource } from '../lib/live';
import { Link, useTitle } from '../lib/router';
import { exploration, fmt, formatBytes, StreamSeries } from '../lib/transforms';
import {
  AGENT_IDS,
  type Agent,
  type AgentHistoryEntry,
  type Evaluation,
  type EvaluationUpdate,
  type GlobalMetrics,
  type OrchestrationStep,
} from '../lib/types';
import { EvaluationStatus, RegressionFlag } from './evaluation-bits';

const POINTS = 600; // per chart: a minute at 10 updates per second

export default function OverviewPage() {
  useTitle('Overview');
  const agents = useResource<{ agents: Agent[] }>('/api/v1/agents');
  const metrics = useResource<GlobalMetrics>('/api/v1/metrics');
  const recent = useResource<{ evaluations: Evaluation[] }>('/api/v1/evaluations?limit=10');

  // Live series, kept outside React state: charts read them on their next frame.
  const agentSeries = useRef(new Map<string, StreamSeries>());
  const rewards = useRef(new StreamSeries(POINTS, AGENT_IDS.length));
  const global = useRef(new StreamSeries(POINTS, 1));
  const window100 = useRef<{ conflict: boolean; converged: boolean }[]>([]);
  const [version, bump] = useFrameVersion();
  const liveRef = useRef<{ step?: OrchestrationStep; conflictRate?: number; nashRate?: number }>({});
  const liveAgentsRef = useRef<Record<string, Agent>>({});

  // Each agent's recent episodes from its history, so the reward charts start filled (again
  // after every resync, since the agents list is refetched then).
  useEffect(() => {
    const ids = (agents.data?.agents ?? []).map((a) => a.id);
    if (ids.length === 0) return;
    let cancelled = false;
    for (const id of ids) {
      api
        .get<{ history: AgentHistoryEntry[] }>(`/api/v1/agents/${encodeURIComponent(id)}/history?limit=${POINTS}`)
        .then((page) => {
          if (cancelled) return;
          const series = new StreamSeries(POINTS, 2);
          for (const h of [...page.history].reverse()) series.push(h.episode, [h.reward, h.reward_mean_10]);
          // Live points that arrived meanwhile are newer than the history.
          const previous = agentSeries.current.get(id);
          if (previous) {
            const [xs, ...ys] = previous.data();
            xs.forEach((x, i) => series.push(x, ys.map((y) => y[i])));
          }
          agentSeries.current.set(id, series);
          bump();
        })
        .catch(() => {
          /* the cards still fill from the live feed */
        });
    }
    return () => {
      cancelled = true;
    };
  }, [agents.data, bump]);

  useChannel<Agent>('agent.status', (agent) => {
    if (!agent?.id) return;
    let series = agentSeries.current.get(agent.id);
    if (!series) agentSeries.current.set(agent.id, (series = new StreamSeries(POINTS, 2)));
    series.push(agent.episode, [agent.last_episode_reward, agent.reward_mean_10]);
    liveAgentsRef.current = { ...liveAgentsRef.current, [agent.id]: agent };
    bump();
  });
  useChannel<OrchestrationStep>('orchestration.step', (step) => {
    if (typeof step?.step !== 'number') return;
    rewards.current.push(
      step.step,
      AGENT_IDS.map((id) => step.rewards?.[id] ?? NaN),
    );
    global.current.push(step.step, [step.global_reward]);
    const w = window100.current;
    w.push({ conflict: (step.conflicts?.length ?? 0) > 0, converged: !!step.nash?.converged });
    if (w.length > 100) w.shift();
    liveRef.current = {
      step,
      conflictRate: w.filter((x) => x.conflict).length / w.length,
      nashRate: w.filter((x) => x.converged).length / w.length,
    };
    bump();
  });
  useChannel<EvaluationUpdate>('evaluation.updates', (update) => {
    const evaluation = update?.evaluation;
    if (!evaluation) return;
    recent.set((previous) => {
      const list = previous?.evaluations ?? [];
      const index = list.findIndex((e) => e.id === evaluation.id);
      const next = index >= 0 ? list.map((e, i) => (i === index ? evaluation : e)) : [evaluation, ...list].slice(0, 10);
      return { evaluations: next };
    });
  });

  const live = liveRef.current;
  const liveAgents = liveAgentsRef.current;
  // REST agents merged with the live ones (newer wins).
  const shown = useMemo(() => {
    const byId: Record<string, Agent> = {};
    for (const a of agents.data?.agents ?? []) byId[a.id] = a;
    for (const [id, a] of Object.entries(liveAgents)) byId[id] = { ...byId[id], ...a };
    return AGENT_IDS.map((id) => byId[id]).filter(Boolean) as Agent[];
  }, [agents.data, liveAgents]);
  const orchestratorDown = agents.error?.unavailable && shown.length === 0;

  const m = metrics.data;
  return (
    <div className="page">
      <h1>Overview</h1>
      <Panel title="Agents" receivedAt={agents.receivedAt}>
        <Loading show={agents.loading && !agents.data} />
        {orchestratorDown ? (
          <ErrorNote error={agents.error} what="Orchestrator" />
        ) : (
          <ErrorNote error={agents.error?.unavailable ? null : agents.error} />
        )}
        <div className="cards">
          {shown.map((agent) => {
            const explore = exploration(agent.metrics);
            const series = agentSeries.current.get(agent.id);
            return (
              <article key={agent.id} className="card" aria-labelledby={`agent-${agent.id}`}>
                <h3 id={`agent-${agent.id}`}>
                  <Link to={`/agents/${agent.id}`}>{agent.id}</Link>{' '}
                  <span className="badge">{agent.algorithm?.toUpperCase()}</span>
                </h3>
                <p className="muted small">{agent.role}</p>
                <dl className="kv">
                  <dt>episode</dt>
                  <dd>{fmt(agent.episode)}</dd>
                  <dt>reward (mean 10)</dt>
                  <dd>{fmt(agent.reward_mean_10)}</dd>
                  <dt>reward (mean 100)</dt>
                  <dd>{fmt(agent.reward_mean_100)}</dd>
                  <dt>loss</dt>
                  <dd>{fmt(agent.metrics?.loss ?? agent.metrics?.critic_loss ?? agent.metrics?.value_loss)}</dd>
                  <dt>{explore.label}</dt>
                  <dd>{fmt(explore.value)}</dd>
                  <dt>memory</dt>
                  <dd>{formatBytes(agent.memory_bytes)}</dd>
                </dl>
                {series ? (
                  <Chart
                    title={`${agent.id}: episode reward`}
                    series={[
                      { label: 'reward', color: color(0), band: true },
                      { label: 'mean 10', color: color(1), width: 2 },
                    ]}
                    data={() => series.data()}
                    version={version}
                    height={120}
                    xLabel="episode"
                  />
                ) : null}
              </article>
            );
          })}
        </div>
      </Panel>

      <div className="grid-2">
        <Panel title="Rewards per step" receivedAt={null}>
          {rewards.current.length === 0 ? (
            <p className="muted">Waiting for orchestration steps…</p>
          ) : null}
          <Chart
            title="Agent rewards"
            series={AGENT_IDS.map((id, i) => ({ label: id, color: color(i) }))}
            data={() => rewards.current.data()}
            version={version}
            xLabel="step"
          />
        </Panel>
        <Panel title="Global reward" receivedAt={metrics.receivedAt}>
          <Chart
            title="Global reward"
            series={[{ label: 'global', color: color(4), width: 2 }]}
            data={() => global.current.data()}
            version={version}
            xLabel="step"
          />
        </Panel>
      </div>

      <Panel title="Coordination" receivedAt={metrics.receivedAt}>
        {metrics.error && !live.step ? <ErrorNote error={metrics.error} what="Orchestrator" /> : null}
        <dl className="kv wide">
          <dt>step</dt>
          <dd>{fmt(live.step?.step ?? m?.step)}</dd>
          <dt>global reward</dt>
          <dd>
            {fmt(live.step?.global_reward ?? m?.global_reward.current)}
            {m ? <span className="muted"> (mean {fmt(m.global_reward.mean)}, trend {fmt(m.global_reward.trend)})</span> : null}
          </dd>
          <dt>conflict rate</dt>
          <dd>{fmt(live.conflictRate ?? m?.conflict_rate)}</dd>
          <dt>Nash converged</dt>
          <dd>
            {fmt(live.nashRate ?? m?.nash.converged_fraction)}
            {m ? <span className="muted"> (mean {fmt(m.nash.mean_iterations)} iterations, exploitability {fmt(m.nash.mean_exploitability)})</span> : null}
          </dd>
          <dt>steps / s</dt>
          <dd>{fmt(m?.steps_per_second)}</dd>
        </dl>
      </Panel>

      <Panel
        title="Recent evaluations"
        receivedAt={recent.receivedAt}
        actions={<Link to="/evaluations">All evaluations →</Link>}
      >
        <ErrorNote error={recent.error} />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">agent</th>
              <th scope="col">environment</th>
              <th scope="col">status</th>
              <th scope="col" className="num">mean reward</th>
              <th scope="col">regression</th>
            </tr>
          </thead>
          <tbody>
            {(recent.data?.evaluations ?? []).map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/evaluations/${e.id}`}>#{e.id}</Link>
                </td>
                <td>{e.agent_id}</td>
                <td>{e.environment}</td>
                <td>
                  <EvaluationStatus status={e.status} />
                </td>
                <td className="num">{fmt(e.metrics?.mean_reward)}</td>
                <td>
                  <RegressionFlag evaluation={e} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {recent.data && recent.data.evaluations.length === 0 ? <p className="muted">No evaluations yet.</p> : null}
      </Panel>
    </div>
  );
}
