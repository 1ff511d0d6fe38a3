import type { Evaluation } from '../lib/types';

const STATUS_ICON: Record<string, string> = {
  pending: '…',
  running: '▶',
  completed: '✓',
  failed: '✕',
  cancelled: '⊘',
};

export function EvaluationStatus({ status }: { status: string }) {
  return (
    <span className={`pill status-${status}`} data-status={status}>
      <span aria-hidden="true">{STATUS_ICON[status] ?? '?'} </span>
      {status}
    </span>
  );
}

export function RegressionFlag({ evaluation }: { evaluation: Evaluation }) {
  const r = evaluation.regression;
  if (!r) return <span className="muted">—</span>;
  if (!r.detected) return <span className="pill ok">✓ none</span>;
  return (
    <span className="pill bad" title={r.reason}>
      ⚠ regression{r.should_rollback ? ' (rollback)' : ''}
    </span>
  );
}
