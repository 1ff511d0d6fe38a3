// Coordination: the current Nash strategy profile and payoffs, recent conflicts, the Pareto
// frontier with the selected point, and hypervolume over time; live from orchestration.step.
import { useMemo, useRef, useState } from 'react';
import { Chart, color } from '../components/Chart';
import { ErrorNote, Loading, Panel, Scatter, type ScatterPoint } from '../components/common';
import { useChannel, useFrameVersion, useResource } from '../lib/live';
import { useTitle } from '../lib/router';
import { fmt, StreamSeries } from '../lib/transforms';
import type { Conflict, NashState, OrchestrationStep, Pareto } from '../lib/types';

export default function CoordinationPage() {
  useTitle('Coordination');
  const nash = useResource<NashState>('/api/v1/nash-equilibrium');
  const conflicts = useResource<{ conflicts: Conflict[] }>('/api/v1/conflicts?limit=50');
  const pareto = useResource<Pareto>('/api/v1/pareto');
  const hypervolume = useRef(new StreamSeries(2000, 1));
  const [version, bump] = useFrameVersion();
  const [axes, setAxes] = useState<[number, number]>([0, 1]);

  useMemo(() => {
    hypervolume.current.clear();
    for (const h of pareto.data?.hypervolume_history ?? []) hypervolume.current.push(h.step, [h.value]);
  }, [pareto.data?.hypervolume_history]);

  useChannel<OrchestrationStep>('orchestration.step', (step) => {
    if (typeof step?.step !== 'number') return;
    if (step.nash) nash.set((previous) => ({ ...(previous ?? {}), ...step.nash, step: step.step }));
    if (step.conflicts?.length) {
      // Step messages carry the conflicts without their step: add it.
      const stamped = step.conflicts.map((c) => ({ ...c, step: step.step, episode: step.episode, ts: c.ts ?? new Date().toISOString() }));
      conflicts.set((previous) => ({ conflicts: [...stamped, ...(previous?.conflicts ?? [])].slice(0, 50) }));
    }
    if (typeof step.pareto?.hypervolume === 'number') hypervolume.current.push(step.step, [step.pareto.hypervolume]);
    bump();
  });

  const n = nash.data;
  const p = pareto.data;
  const points: ScatterPoint[] = (p?.candidates ?? []).map((c, i) => ({
    x: c.payoffs[axes[0]],
    y: c.payoffs[axes[1]],
    kind: i === p!.selected ? 'selected' : c.on_frontier ? 'frontier' : 'dominated',
    label: `candidate ${i}: payoffs ${c.payoffs.map((v) => fmt(v)).join(', ')}; actions ${JSON.stringify(c.joint_action)}`,
  }));
  const notRunning = nash.error?.unavailable && pareto.error?.unavailable && conflicts.error?.unavailable;

  return (
    <div className="page">
      <h1>Coordination</h1>
      {notRunning ? <ErrorNote error={nash.error} what="Orchestrator" /> : null}
      <div className="grid-2">
        <Panel title="Nash equilibrium" receivedAt={nash.receivedAt}>
          <Loading show={nash.loading && !n} />
          {!notRunning ? <ErrorNote error={nash.error} what="Orchestrator" /> : null}
          {n ? (
            <>
              <dl className="kv wide">
                <dt>step</dt>
                <dd>{fmt(n.step)}</dd>
                <dt>method</dt>
                <dd>{n.method}</dd>
                <dt>converged</dt>
                <dd>{n.converged ? '✓ yes' : '✕ no'}</dd>
                <dt>iterations</dt>
                <dd>{fmt(n.iterations)}</dd>
                <dt>exploitability</dt>
                <dd>{fmt(n.exploitability)}</dd>
                <dt>time</dt>
                <dd>{n.convergence_time_seconds !== undefined ? `${fmt(n.convergence_time_seconds * 1000)} ms` : '—'}</dd>
              </dl>
              <table className="table compact">
                <caption>Strategy profile (probability per candidate action) and payoff</caption>
                <thead>
                  <tr>
                    <th scope="col">player</th>
                    <th scope="col">strategy</th>
                    <th scope="col" className="num">payoff</th>
                  </tr>
                </thead>
                <tbody>
                  {(n.players ?? []).map((player, i) => (
                    <tr key={player}>
                      <th scope="row">{player}</th>
                      <td>
                        <div className="strategy">
                          {(n.strategies?.[i] ?? []).map((prob, a) => {
                            if (!(prob > 0.001)) return null; // actions never played take no room
                            const raw = n.candidates?.[i]?.[a] ?? a;
                            const action = typeof raw === 'number' ? fmt(raw) : JSON.stringify(raw);
                            return (
                              <span key={a} className="prob" style={{ flexGrow: prob }} title={`action ${action}: ${fmt(prob)}`}>
                                {prob >= 0.15 ? `${action}: ${fmt(prob, 2)}` : ''}
                              </span>
                            );
                          })}
                        </div>
                      </td>
                      <td className="num">{fmt(Array.isArray(n.payoffs) ? (n.payoffs[i] as number) : undefined)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </Panel>
        <Panel title="Pareto frontier" receivedAt={pareto.receivedAt}>
          <Loading show={pareto.loading && !p} />
          {!notRunning ? <ErrorNote error={pareto.error} what="Orchestrator" /> : null}
          {p ? (
            <>
              <div className="inline-form">
                <label>
                  x{' '}
                  <select value={axes[0]} onChange={(e) => setAxes([Number(e.target.value), axes[1]])}>
                    {p.objectives.map((o, i) => (
                      <option key={o} value={i}>
                        {o}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  y{' '}
                  <select value={axes[1]} onChange={(e) => setAxes([axes[0], Number(e.target.value)])}>
                    {p.objectives.map((o, i) => (
                      <option key={o} value={i}>
                        {o}
                      </option>
                    ))}
                  </select>
                </label>
                <span className="muted small">
                  method {p.method}, hypervolume {fmt(p.hypervolume)}
                </span>
              </div>
              <Scatter points={points} xLabel={p.objectives[axes[0]] ?? 'x'} yLabel={p.objectives[axes[1]] ?? 'y'} />
            </>
          ) : null}
        </Panel>
      </div>
      <Panel title="Hypervolume over time">
        {hypervolume.current.length === 0 ? <p className="muted">No hypervolume yet.</p> : null}
        <Chart
          title="Hypervolume"
          series={[{ label: 'hypervolume', color: color(2), width: 2 }]}
          data={() => hypervolume.current.data()}
          version={version + (pareto.receivedAt ?? 0)}
          xLabel="step"
        />
      </Panel>
      <Panel title="Recent conflicts" receivedAt={conflicts.receivedAt}>
        {!notRunning ? <ErrorNote error={conflicts.error} what="Orchestrator" /> : null}
        <table className="table">
          <thead>
            <tr>
              <th scope="col" className="num">step</th>
              <th scope="col" className="num">episode</th>
              <th scope="col">type</th>
              <th scope="col">agents</th>
              <th scope="col">description</th>
            </tr>
          </thead>
          <tbody>
            {(conflicts.data?.conflicts ?? []).map((c, i) => (
              <tr key={`${c.step}-${i}`}>
                <td className="num">{fmt(c.step)}</td>
                <td className="num">{fmt(c.episode)}</td>
                <td>{c.type}</td>
                <td>{c.agents.join(', ')}</td>
                <td>{c.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {conflicts.data && conflicts.data.conflicts.length === 0 ? <p className="muted">No conflicts.</p> : null}
      </Panel>
    </div>
  );
}
