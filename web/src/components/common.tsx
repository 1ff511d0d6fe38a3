// Small shared pieces: errors shown in place, the stale mark, loading text, SVG charts for the
// few-point cases (histogram, scatter).
import type { ReactNode } from 'react';
import { ApiError } from '../lib/api';
import type { HistogramBin } from '../lib/transforms';
import { fmt } from '../lib/transforms';
import { useConnectionState } from '../lib/live';
import { isStale } from '../lib/transforms';

// An error from the server, in place, with its message; 404 / 503 of optional components say
// that the component is not running instead.
export function ErrorNote({ error, what }: { error: ApiError | null; what?: string }) {
  if (!error) return null;
  if (what && error.unavailable) {
    return (
      <p className="note" role="status">
        <span aria-hidden="true">‖ </span>
        {what} not running
        <span className="muted"> ({error.message})</span>
      </p>
    );
  }
  return (
    <p className="error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {error.status ? `${error.status}: ` : ''}
      {error.message}
      {error.field ? <span className="muted"> (field: {error.field})</span> : null}
    </p>
  );
}

export function Stale({ receivedAt }: { receivedAt: number | null }) {
  const snapshot = useConnectionState();
  const stale =
    isStale(receivedAt, snapshot.lastLossAt) ||
    (receivedAt !== null && snapshot.state !== 'open' && snapshot.lastLossAt !== null);
  if (!stale) return null;
  return (
    <span className="stale" title="Received before the live connection was lost; may be out of date">
      <span aria-hidden="true">◔ </span>stale
    </span>
  );
}

export function Panel({
  title,
  children,
  actions,
  receivedAt,
  className,
}: {
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  receivedAt?: number | null;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`}>
      <header>
        <h2>{title}</h2>
        {receivedAt !== undefined ? <Stale receivedAt={receivedAt} /> : null}
        <div className="spacer" />
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Loading({ show }: { show: boolean }) {
  return show ? <p className="muted" aria-live="polite">Loading…</p> : null;
}

export function HistogramChart({ bins, label }: { bins: HistogramBin[]; label: string }) {
  if (bins.length === 0) return <p className="muted">No episodes.</p>;
  const width = 560;
  const height = 180;
  const max = Math.max(...bins.map((b) => b.count));
  const barWidth = width / bins.length;
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-label={label} className="svg-chart">
        {bins.map((b, i) => {
          const h = max ? (b.count / max) * height : 0;
          return (
            <g key={i}>
              <title>{`${fmt(b.from)} – ${fmt(b.to)}: ${b.count}`}</title>
              <rect x={i * barWidth + 1} y={height - h} width={Math.max(1, barWidth - 2)} height={h} className="bar" />
              {b.count > 0 && bins.length <= 30 ? (
                <text x={i * barWidth + barWidth / 2} y={Math.max(12, height - h - 3)} textAnchor="middle" className="axis-label">
                  {b.count}
                </text>
              ) : null}
            </g>
          );
        })}
        <text x={0} y={height + 16} className="axis-label">{fmt(bins[0].from)}</text>
        <text x={width} y={height + 16} textAnchor="end" className="axis-label">
          {fmt(bins[bins.length - 1].to)}
        </text>
      </svg>
    </figure>
  );
}

export interface ScatterPoint {
  x: number;
  y: number;
  kind: 'frontier' | 'dominated' | 'selected';
  label: string;
}

export function Scatter({ points, xLabel, yLabel }: { points: ScatterPoint[]; xLabel: string; yLabel: string }) {
  if (points.length === 0) return <p className="muted">No candidates.</p>;
  const width = 420;
  const height = 300;
  const pad = 40;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y: number) => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const order = { dominated: 0, frontier: 1, selected: 2 };
  return (
    <figure className="chart">
      <figcaption>
        Pareto frontier ({xLabel} vs {yLabel}): <span className="legend dominated">○ dominated</span>{' '}
        <span className="legend frontier">● frontier</span> <span className="legend selected">◆ selected</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Pareto frontier scatter" className="svg-chart">
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} className="axis" />
        <line x1={pad} y1={pad} x2={pad} y2={height - pad} className="axis" />
        <text x={width / 2} y={height - 8} textAnchor="middle" className="axis-label">{xLabel}</text>
        <text x={12} y={height / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${height / 2})`}>
          {yLabel}
        </text>
        {[...points]
          .sort((a, b) => order[a.kind] - order[b.kind])
          .map((p, i) =>
            p.kind === 'selected' ? (
              <path key={i} d={`M${sx(p.x)},${sy(p.y) - 8} l8,8 l-8,8 l-8,-8 z`} className="pt selected">
                <title>{p.label}</title>
              </path>
            ) : (
              <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={p.kind === 'frontier' ? 5 : 4} className={`pt ${p.kind}`}>
                <title>{p.label}</title>
              </circle>
            ),
          )}
      </svg>
    </figure>
  );
}
