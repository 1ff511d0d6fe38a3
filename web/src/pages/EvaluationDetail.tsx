// One evaluation: metrics, per-episode returns as a histogram, the baseline comparison and the
// regression verdict with its failed checks; live while it runs.
import { useMemo } from 'react';
import { ErrorNote, HistogramChart, Loading, Panel } from '../components/common';
import { useChannel, useResource } from '../lib/live';
import { Link, useTitle } from '../lib/router';
import { fmt, formatDuration, histogram } from '../lib/transforms';
import type { Evaluation, EvaluationUpdate } from '../lib/types';
import { EvaluationStatus } from './evaluation-bits';

export default function EvaluationDetailPage({ id }: { id: string }) {
  useTitle(`Evaluation #${id}`);
  const evaluation = useResource<Evaluation>(`/api/v1/evaluations/${encodeURIComponent(id)}`);
  useChannel<EvaluationUpdate>('evaluation.updates', (update) => {
    if (String(update?.evaluation?.id) !== id) return;
    // Finished: fetch again for the episodes; otherwise merge the new state.
    if (['completed', 'failed', 'cancelled'].includes(update.event)) evaluation.reload();
    else evaluation.set((previous) => (previous ? { ...previous, ...update.evaluation } : update.evaluation));
  });
  const e = evaluation.data;
  const bins = useMemo(() => histogram((e?.episodes ?? []).map((x) => x.total_reward), 20), [e?.episodes]);
  return (
    <div className="page">
      <p>
        <Link to="/evaluations">← Evaluations</Link>
      </p>
      <h1>
        Evaluation #{id} {e ? <EvaluationStatus status={e.status} /> : null}
      </h1>
      <Loading show={evaluation.loading && !e} />
      <ErrorNote error={evaluation.error} />
      {e ? (
        <>
          <Panel title="Run" receivedAt={evaluation.receivedAt}>
            <dl className="kv wide">
              <dt>agent</dt>
              <dd>{e.agent_id}</dd>
              <dt>type</dt>
              <dd>{e.agent_type}</dd>
              <dt>environment</dt>
              <dd>{e.environment}</dd>
              <dt>episodes</dt>
              <dd>{e.num_episodes}</dd>
              <dt>seed</dt>
              <dd>{e.seed}</dd>
              <dt>policy mode</dt>
              <dd>{e.policy_mode}</dd>
              <dt>created</dt>
              <dd>{e.created_at}</dd>
              <dt>duration</dt>
              <dd>{e.duration_seconds !== null ? formatDuration(e.duration_seconds) : '—'}</dd>
              {e.error ? (
                <>
                  <dt>error</dt>
                  <dd className="error">{e.error}</dd>
                </>
              ) : null}
            </dl>
          </Panel>
          <div className="grid-2">
            <Panel title="Metrics">
              {e.metrics ? (
                <dl className="kv">
                  {Object.entries(e.metrics).map(([k, v]) => (
                    <Kv key={k} k={k} v={fmt(v)} />
                  ))}
                </dl>
              ) : (
                <p className="muted">Not finished.</p>
              )}
            </Panel>
            <Panel title="Episode returns">
              <HistogramChart bins={bins} label={`Returns of ${e.episodes?.length ?? 0} episodes`} />
            </Panel>
          </div>
          <Panel title="Regression verdict">
            {e.regression ? (
              <>
                <p className={e.regression.detected ? 'error' : 'ok'}>
                  {e.regression.detected ? '⚠ Regression detected' : '✓ No regression'} — score{' '}
                  {fmt(e.regression.regression_score)}
                  {e.regression.should_rollback ? ', rollback recommended' : ''}
                  {e.regression.reason ? `: ${e.regression.reason}` : ''}
                </p>
                {e.regression.failed_checks.length ? (
                  <table className="table">
                    <caption>Failed checks</caption>
                    <thead>
                      <tr>
                        <th scope="col">check</th>
                        <th scope="col" className="num">value</th>
                        <th scope="col" className="num">threshold</th>
                        <th scope="col">message</th>
                      </tr>
                    </thead>
                    <tbody>
                      {e.regression.failed_checks.map((c) => (
                        <tr key={c.name}>
                          <td>{c.name}</td>
                          <td className="num">{fmt(c.value)}</td>
                          <td className="num">{fmt(c.threshold)}</td>
                          <td>{c.message}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </>
            ) : (
              <p className="muted">No verdict (not finished, or no baseline to compare with).</p>
            )}
          </Panel>
          <Panel title="Baseline comparison">
            {e.baseline_comparison ? <Comparison value={e.baseline_comparison} /> : <p className="muted">No baseline.</p>}
          </Panel>
        </>
      ) : null}
    </div>
  );
}

function Kv({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

// The stored comparison is a JSON object (the baseline's numbers and the deltas): shown as a
// table of its numeric leaves.
function Comparison({ value }: { value: Record<string, unknown> }) {
  const rows: [string, unknown][] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    } else rows.push([prefix, v]);
  };
  walk('', value);
  return (
    <table className="table compact">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{typeof v === 'number' ? fmt(v) : String(v ?? '—')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
