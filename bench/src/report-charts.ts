import { type BarChart, renderBarChart } from './chart.js';
import type { HttpRow } from './http/run.js';
import type { InProcessRow, TokenMode } from './inproc/run.js';
import { type BenchResults, runtimeRatio } from './report.js';
import type { RuntimeResult } from './runtimes/run.js';

/** One chart of a run: its file name under bench/results/, its title and the SVG. */
export interface ChartFile {
  file: string;
  title: string;
  svg: string;
}

const MODE_TITLE: Record<TokenMode, string> = {
  one: 'one token repeated',
  distinct: 'distinct tokens cycled',
};
const perSecond = (n: number) => Math.round(n).toLocaleString('en-US');
const times = (n: number) => `${n.toFixed(2)}×`;

type Row = Pick<InProcessRow, 'alg' | 'contender' | 'label' | 'mode' | 'opsPerSec' | 'note'>;

// Throughput per verifier and algorithm: one group per algorithm, one bar per verifier.
function throughputChart(rows: readonly Row[], title: string, subtitle: string): BarChart {
  const algs = [...new Set(rows.map((r) => r.alg))];
  const labels = [...new Map(rows.map((r) => [r.contender, r.label])).entries()];
  return {
    title,
    subtitle,
    unit: 'verifications/s',
    scale: 'log',
    format: perSecond,
    groups: algs.map((alg) => ({
      label: alg,
      bars: labels.map(([id, label]) => {
        const row = rows.find((r) => r.alg === alg && r.contender === id);
        return { label, value: row?.opsPerSec ?? null, ...(row?.note ? { note: row.note } : {}) };
      }),
    })),
  };
}

function inProcessCharts(results: BenchResults): ChartFile[] {
  const modes = [...new Set(results.inProcess.map((r) => r.mode))];
  return modes.map((mode) => {
    const title = `Node, in process, ${MODE_TITLE[mode]}`;
    const rows = results.inProcess.filter((r) => r.mode === mode);
    const subtitle = `@tokengate/core from ${results.machine.coreEntry}; best of ${results.settings.rounds} × ${results.settings.durationMs} ms`;
    return {
      file: `inproc-${mode}.svg`,
      title,
      svg: renderBarChart(throughputChart(rows, title, subtitle)),
    };
  });
}

const RUNTIME_TITLE: Record<string, string> = {
  node: 'Node',
  bun: 'Bun',
  deno: 'Deno',
  workerd: 'workerd',
};

function runtimeCharts(results: BenchResults): ChartFile[] {
  const charts: ChartFile[] = [];
  const { runtimeRounds, runtimeDurationMs } = results.settings;
  for (const result of results.runtimes) {
    for (const mode of [...new Set(result.rows.map((r) => r.mode))]) {
      const title = `${RUNTIME_TITLE[result.runtime]}, in process, ${MODE_TITLE[mode]}`;
      const subtitle = `${result.version}; median of ${runtimeRounds} × ${runtimeDurationMs} ms`;
      const rows = result.rows.filter((r) => r.mode === mode);
      const svg = renderBarChart(throughputChart(rows, title, subtitle));
      charts.push({ file: `runtime-${result.runtime}-${mode}.svg`, title, svg });
    }
  }
  return charts;
}

// The Web build over this runtime's hand-written Web Crypto floor, runtime by runtime.
function floorRatioCharts(runtimes: readonly RuntimeResult[]): ChartFile[] {
  const measured = runtimes.filter((r) => r.rows.length > 0);
  const modes = [...new Set(measured.flatMap((r) => r.rows.map((row) => row.mode)))];
  const algs = [...new Set(measured.flatMap((r) => r.rows.map((row) => row.alg)))];
  return modes.map((mode) => {
    const title = `tokengate Web build ÷ Web Crypto floor, ${MODE_TITLE[mode]}`;
    const chart: BarChart = {
      title,
      subtitle:
        'same runtime, same run; the floor: base64url + JSON + crypto.subtle.verify + claims',
      unit: '× the floor',
      format: times,
      marks: [
        { value: 0.8, label: 'target 0.8×' },
        { value: 1, label: 'floor' },
      ],
      groups: algs.map((alg) => ({
        label: alg,
        bars: measured.map((r) => ({
          label: RUNTIME_TITLE[r.runtime]!,
          value: runtimeRatio(r.rows, alg, 'web', 'web-floor', mode),
        })),
      })),
    };
    return { file: `runtimes-floor-ratio-${mode}.svg`, title, svg: renderBarChart(chart) };
  });
}

// Ratio to the bare server, framework by framework (each framework has its own peers).
function httpCharts(rows: readonly HttpRow[]): ChartFile[] {
  const modes = [...new Set(rows.map((r) => r.mode))];
  return modes.map((mode) => {
    const ofMode = rows.filter((r) => r.mode === mode);
    const title = `HTTP, RS256, ${MODE_TITLE[mode]}: requests/s ÷ the bare server's`;
    const chart: BarChart = {
      title,
      subtitle:
        'autocannon, 10 connections; each server against the bare server of its framework in the same run',
      unit: '× bare',
      format: times,
      marks: [{ value: 1, label: 'bare' }],
      groups: [...new Set(ofMode.map((r) => r.framework))].map((framework) => ({
        label: framework,
        bars: ofMode
          .filter((r) => r.framework === framework)
          .map((r) => ({
            label: r.server,
            value: r.ratioToBare,
            ...(r.note ? { note: r.note } : {}),
          })),
      })),
    };
    return { file: `http-${mode}.svg`, title, svg: renderBarChart(chart) };
  });
}

/**
 * Every chart of a run, one per table: throughput per verifier and algorithm (Node in
 * process, each runtime), the Web build over each runtime's floor, and the HTTP ratio to bare
 * per framework.
 *
 * @example
 * for (const chart of benchCharts(results)) writeFileSync(chart.file, chart.svg);
 */
export function benchCharts(results: BenchResults): ChartFile[] {
  return [
    ...inProcessCharts(results),
    ...runtimeCharts(results),
    ...floorRatioCharts(results.runtimes),
    ...httpCharts(results.http),
  ];
}
