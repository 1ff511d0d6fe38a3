// uPlot line charts for streaming data. The chart is created once; new data is pushed with
// setData at most once per animation frame, however often `version` changes, so ten updates a
// second per chart cost ten cheap redraws, not ten React renders of the plot.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SeriesSpec {
  label: string;
  color: string;
  width?: number;
  dash?: number[];
  fill?: string;
  band?: boolean; // draw without points, thin, as the edge of a band
}

export interface ChartProps {
  title: string;
  series: SeriesSpec[];
  data: () => uPlot.AlignedData; // read when redrawing
  version: number; // bump to redraw
  height?: number;
  xLabel?: string;
  time?: boolean; // x values are unix seconds
  bands?: [number, number][]; // pairs of series indices (1-based) to fill between
}

const PALETTE = ['#2f7ed8', '#e4572e', '#17b890', '#9b5de5', '#f2a541', '#5c6f7b'];
export const color = (i: number) => PALETTE[i % PALETTE.length];

export function Chart({ title, series, data, version, height = 220, xLabel, time = false, bands }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const frame = useRef<number | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;

  // (Re)create when the series layout changes.
  const layout = JSON.stringify([series, time, xLabel, bands, height]);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const styles = getComputedStyle(element);
    const axisColor = styles.getPropertyValue('--muted').trim() || '#888';
    const gridColor = styles.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.2)';
    const opts: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      scales: { x: { time } },
      legend: { live: false },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: xLabel ?? (time ? 'time' : 'x') },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? (s.band ? 0.5 : 1.5),
          dash: s.dash,
          fill: s.fill,
          points: { show: false },
          spanGaps: true,
        })),
      ],
      bands: bands?.map(([a, b]) => ({ series: [a, b] as [number, number], fill: 'rgba(47,126,216,0.15)' })),
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor } },
        { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor }, size: 56 },
      ],
    };
    const u = new uPlot(opts, dataRef.current(), element);
    plot.current = u;
    const observer = new ResizeObserver(() => {
      u.setSize({ width: Math.max(200, element.clientWidth), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      u.destroy();
      plot.current = null;
    };
  }, [layout]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (frame.current !== null || !plot.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      plot.current?.setData(dataRef.current());
    });
  }, [version]);

  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart-host" role="img" aria-label={`${title} chart`} />
    </figure>
  );
}
