import type { StepResult } from './steps.js';

/** The walk's results of one framework. */
export interface FrameworkRun {
  framework: string;
  results: StepResult[];
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));

/**
 * Render the results as a table: one row per step, one column per framework; each cell is
 * the status with ✓ when as expected, ✗ and what came back otherwise.
 *
 * @example
 * console.log(renderTable(runs));
 */
export function renderTable(runs: FrameworkRun[]): string {
  const steps = [...new Map(runs.flatMap((r) => r.results.map((s) => [s.step, s]))).values()];
  const cell = (run: FrameworkRun, step: string) => {
    const result = run.results.find((s) => s.step === step);
    if (!result) return '—  ✗ not run';
    return result.ok ? `${result.actual.split(' ')[0]} ✓` : `${result.actual} ✗`;
  };
  const rows = steps.map((s) => [s.step, s.expected, ...runs.map((r) => cell(r, s.step))]);
  const header = ['step', 'expected', ...runs.map((r) => r.framework)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((text, i) => pad(text, widths[i]!))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * Whether every framework ran every step as expected.
 *
 * @example
 * process.exitCode = allExpected(runs) ? 0 : 1;
 */
export function allExpected(runs: FrameworkRun[]): boolean {
  const steps = new Set(runs.flatMap((r) => r.results.map((s) => s.step)));
  return runs.every((r) => r.results.length === steps.size && r.results.every((s) => s.ok));
}
