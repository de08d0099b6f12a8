export interface Bar { field: string; label: string; value: number }

/** Horizontal bars on one scale, as SVG that shrinks with its container (a phone's width included). */
export function BarChart({ title, bars, kind }: { title: string; bars: Bar[]; kind: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = 100, barArea = 300, rowHeight = 24, width = labelWidth + barArea + 60;
  return (
    <figure style={{ margin: 0 }} data-chart={kind}>
      <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${bars.length * rowHeight + 8}`} role="img" aria-label={title}>
        {bars.map((b, n) => {
          const y = 4 + n * rowHeight;
          const w = b.value > 0 ? Math.max(2, (b.value / max) * barArea) : 0;
          return (
            <g key={b.field}>
              <text x={labelWidth - 8} y={y + 15} textAnchor="end">{b.label}</text>
              <rect className={`bar ${kind}`} data-field={b.field} data-value={b.value} x={labelWidth} y={y + 3} height={rowHeight - 8} width={w} />
              <text x={labelWidth + w + 6} y={y + 15}>{b.value.toLocaleString('zh-CN')}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
