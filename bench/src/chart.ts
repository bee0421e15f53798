/** One bar: a label and its value (null: not measured, drawn as a dash with `note`). */
export interface Bar {
  label: string;
  value: number | null;
  note?: string;
}

/** A horizontal grouped bar chart: one group per algorithm or framework, one bar per verifier or server. */
export interface BarChart {
  title: string;
  /** A second line under the title: how the numbers were taken. */
  subtitle?: string;
  /** What the values are, under the axis: "verifications/s", "× bare". */
  unit: string;
  groups: readonly { label: string; bars: readonly Bar[] }[];
  /** `log` for throughput (equal steps are equal ratios), `linear` for ratios. Default linear. */
  scale?: 'linear' | 'log';
  /** Vertical lines marking a value, such as 1× (bare) or a target. */
  marks?: readonly { value: number; label: string }[];
  /** How a value is written beside its bar. Default: grouped integer, or two decimals below 10. */
  format?: (value: number) => string;
}

// Colours by bar label, first come first served, so a verifier keeps its colour in every group.
const PALETTE = [
  '#2563eb',
  '#16a34a',
  '#ea580c',
  '#9333ea',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#b45309',
  '#475569',
  '#dc2626',
];

const LABEL_WIDTH = 330;
const PLOT_WIDTH = 420;
const VALUE_WIDTH = 130;
const WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
const BAR = 14;
const GAP = 4;
const GROUP_HEAD = 24;
const TOP = 58;

/**
 * Escape text for an SVG text node or attribute.
 *
 * @example
 * escapeXml('a < b & c'); // 'a &lt; b &amp; c'
 */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const defaultFormat = (value: number) =>
  value < 10 ? value.toFixed(2) : Math.round(value).toLocaleString('en-US');

// Axis ticks: whole decades on a log scale, about five round steps on a linear one.
function ticks(min: number, max: number, scale: 'linear' | 'log'): number[] {
  if (scale === 'log') {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); 10 ** e <= max; e++) out.push(10 ** e);
    return out;
  }
  const raw = max / 5;
  const step = [1, 2, 2.5, 5, 10]
    .map((m) => m * 10 ** Math.floor(Math.log10(raw)))
    .find((s) => s >= raw)!;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

const shortNumber = (n: number) =>
  n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(Number(n.toPrecision(3)));

/**
 * Render a bar chart as a standalone SVG document (no scripts, no external resources), so that
 * GitHub shows it as an image in a README.
 *
 * @example
 * const svg = renderBarChart({ title: 'HS256', unit: 'verifications/s', groups: [{ label: 'HS256', bars: [{ label: 'floor', value: 1000 }] }] });
 */
export function renderBarChart(chart: BarChart): string {
  const scale = chart.scale ?? 'linear';
  const format = chart.format ?? defaultFormat;
  const values = chart.groups
    .flatMap((g) => g.bars.map((b) => b.value))
    .filter((v): v is number => v !== null && v > 0);
  const markValues = (chart.marks ?? []).map((m) => m.value);
  const max =
    Math.max(...values, ...markValues, scale === 'log' ? 10 : 1e-9) *
    (scale === 'log' ? 1.5 : 1.05);
  // The axis starts at the decade below the smallest value, so that every bar shows.
  const min =
    scale === 'log' ? 10 ** (Math.ceil(Math.log10(Math.min(...values, max / 10))) - 1) : 0;
  const x = (v: number) =>
    LABEL_WIDTH +
    PLOT_WIDTH *
      (scale === 'log'
        ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
        : v / max);

  const colours = new Map<string, string>();
  const colour = (label: string) => {
    if (!colours.has(label)) colours.set(label, PALETTE[colours.size % PALETTE.length]!);
    return colours.get(label)!;
  };

  const body: string[] = [];
  let y = TOP;
  for (const group of chart.groups) {
    body.push(`<text x="8" y="${y + 16}" class="group">${escapeXml(group.label)}</text>`);
    y += GROUP_HEAD;
    for (const bar of group.bars) {
      const mid = y + BAR / 2 + 4;
      body.push(
        `<text x="${LABEL_WIDTH - 8}" y="${mid}" class="label" text-anchor="end">${escapeXml(bar.label)}</text>`,
      );
      if (bar.value === null || bar.value <= 0) {
        const text = `–${bar.note ? ` (${bar.note})` : ''}`;
        body.push(
          `<text x="${LABEL_WIDTH + 4}" y="${mid}" class="value">${escapeXml(text)}</text>`,
        );
      } else {
        const width = Math.max(1, x(bar.value) - LABEL_WIDTH);
        body.push(
          `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${colour(bar.label)}"><title>${escapeXml(`${bar.label}: ${format(bar.value)}`)}</title></rect>`,
          `<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${mid}" class="value">${escapeXml(format(bar.value))}</text>`,
        );
      }
      y += BAR + GAP;
    }
  }
  const plotBottom = y + 4;

  const axis: string[] = [];
  for (const t of ticks(min || 1, max, scale)) {
    if (t < min || t > max) continue;
    const tx = x(t).toFixed(1);
    axis.push(
      `<line x1="${tx}" y1="${TOP}" x2="${tx}" y2="${plotBottom}" class="grid"/>`,
      `<text x="${tx}" y="${plotBottom + 14}" class="tick" text-anchor="middle">${escapeXml(scale === 'log' ? shortNumber(t) : String(Number(t.toPrecision(3))))}</text>`,
    );
  }
  for (const mark of chart.marks ?? []) {
    const mx = x(mark.value).toFixed(1);
    axis.push(
      `<line x1="${mx}" y1="${TOP - 6}" x2="${mx}" y2="${plotBottom}" class="mark"/>`,
      `<text x="${mx}" y="${TOP - 9}" class="tick" text-anchor="middle">${escapeXml(mark.label)}</text>`,
    );
  }
  const height = plotBottom + 40;
  const unit = `${chart.unit}${scale === 'log' ? ' (log scale)' : ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1f2937}.title{font-size:15px;font-weight:600}.subtitle{font-size:11px;fill:#4b5563}.group{font-size:13px;font-weight:600}.label,.value{font-size:11px}.tick{font-size:10px;fill:#6b7280}.grid{stroke:#e5e7eb}.mark{stroke:#111827;stroke-dasharray:4 3}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="20" class="title">${escapeXml(chart.title)}</text>`,
    chart.subtitle ? `<text x="8" y="37" class="subtitle">${escapeXml(chart.subtitle)}</text>` : '',
    ...axis,
    ...body,
    `<text x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${plotBottom + 32}" class="tick" text-anchor="middle">${escapeXml(unit)}</text>`,
    '</svg>',
    '',
  ]
    .filter(Boolean)
    .join('\n');
}
