// A small dependency-free SVG line chart: stacked panels sharing one time axis, shaded bands
// for the fault windows, one coloured line per series and a legend.

/** One line: points of (seconds since start, value). */
export interface Series {
  name: string;
  points: [number, number][];
}

/** One panel of the chart. */
export interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

/** A shaded time window (seconds since start). */
export interface Band {
  from: number;
  to: number;
  label: string;
  color: string;
}

const COLORS = [
  '#1f77b4',
  '#aec7e8',
  '#d62728',
  '#ff9896',
  '#2ca02c',
  '#98df8a',
  '#9467bd',
  '#c5b0d5',
];
const W = 960;
const PANEL_H = 260;
const LEFT = 70;
const RIGHT = 180;
const TOP = 40;
const GAP = 60;

const esc = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

/**
 * Render the panels over `[0, duration]` seconds as an SVG document.
 *
 * @example
 * writeFileSync('soak.svg', renderChart('soak', 600, [rssPanel, p99Panel], bands));
 */
export function renderChart(
  title: string,
  duration: number,
  panels: Panel[],
  bands: Band[],
): string {
  const plotW = W - LEFT - RIGHT;
  const height = TOP + panels.length * (PANEL_H + GAP);
  const x = (t: number) => LEFT + (Math.min(Math.max(t, 0), duration) / duration) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = TOP + index * (PANEL_H + GAP) + 20;
    const h = PANEL_H - 20;
    const max = niceMax(Math.max(0, ...panel.series.flatMap((s) => s.points.map((p) => p[1]))));
    const y = (v: number) => top + h - (Math.min(v, max) / max) * h;
    out.push(
      `<text x="${LEFT}" y="${top - 8}" font-size="13">${esc(panel.title)} (${esc(panel.unit)})</text>`,
    );
    for (const band of bands) {
      const bx = x(band.from);
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${top}" width="${Math.max(1, x(band.to) - bx).toFixed(1)}" height="${h}" fill="${band.color}" opacity="0.18"><title>${esc(band.label)}</title></rect>`,
      );
    }
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      out.push(
        `<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
        `<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toFixed(2)}</text>`,
      );
    }
    const ticks = duration <= 120 ? 10 : 60;
    for (let t = 0; t <= duration; t += ticks)
      out.push(`<text x="${x(t)}" y="${top + h + 14}" text-anchor="middle">${t}s</text>`);
    out.push(
      `<rect x="${LEFT}" y="${top}" width="${plotW}" height="${h}" fill="none" stroke="#888"/>`,
    );
    panel.series.forEach((series, s) => {
      const color = COLORS[s % COLORS.length];
      if (series.points.length > 0) {
        const d = series.points
          .map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`)
          .join('');
        out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.4"/>`);
      }
      const ly = top + 12 + s * 16;
      out.push(
        `<line x1="${LEFT + plotW + 12}" x2="${LEFT + plotW + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`,
        `<text x="${LEFT + plotW + 36}" y="${ly}">${esc(series.name)}</text>`,
      );
    });
    bands
      .filter((b, i, all) => all.findIndex((o) => o.label === b.label) === i)
      .forEach((band, i) => {
        const ly = top + 12 + (panel.series.length + 1 + i) * 16;
        out.push(
          `<rect x="${LEFT + plotW + 12}" y="${ly - 9}" width="18" height="10" fill="${band.color}" opacity="0.35"/>`,
          `<text x="${LEFT + plotW + 36}" y="${ly}">${esc(band.label)}</text>`,
        );
      });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
