import { describe, expect, it } from 'vitest';
import { type BarChart, escapeXml, renderBarChart } from './chart.js';
import { describeMachine } from './report.js';
import { benchCharts } from './report-charts.js';

// Well-formed XML without a parser: every tag closes in order, every `&` starts an entity.
function assertWellFormed(svg: string) {
  const stack: string[] = [];
  for (const [, slash, name, self] of svg.matchAll(/<(\/?)([A-Za-z]+)(?:\s[^<>]*?)?(\/?)>/g)) {
    if (self) continue;
    if (slash) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(svg.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
}

const widthOf = (svg: string, label: string) =>
  Number(new RegExp(`width="([\\d.]+)"[^>]*><title>${label}:`).exec(svg)?.[1]);

const chart: BarChart = {
  title: 'Verifiers <in> "process" & more',
  unit: 'verifications/s',
  scale: 'log',
  groups: [
    {
      label: 'HS256',
      bars: [
        { label: 'floor', value: 100_000 },
        { label: 'tokengate', value: 1_000_000 },
      ],
    },
    {
      label: 'EdDSA',
      bars: [
        { label: 'floor', value: 10_000 },
        { label: 'jsonwebtoken', value: null, note: 'algorithm not supported' },
      ],
    },
  ],
};

describe('renderBarChart', () => {
  it('writes a well-formed standalone SVG with every value, its labels escaped', () => {
    const svg = renderBarChart(chart);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
    assertWellFormed(svg);
    expect(svg).toContain('Verifiers &lt;in&gt; &quot;process&quot; &amp; more');
    for (const text of ['HS256', 'EdDSA', '100,000', '1,000,000', '10,000'])
      expect(svg).toContain(`>${text}<`);
    expect(svg).toContain('>– (algorithm not supported)<');
    expect(svg).toContain('verifications/s (log scale)');
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('draws a ten times larger value one decade further on a log scale, proportionally on a linear one', () => {
    const bars = [1_000, 10_000, 100_000].map((value) => ({ label: `v${value}`, value }));
    const log = renderBarChart({ ...chart, groups: [{ label: 'g', bars }] });
    const [small, mid, large] = bars.map((b) => widthOf(log, b.label));
    expect(Math.abs(large! - mid! - (mid! - small!))).toBeLessThan(0.2);
    const linear = renderBarChart({
      ...chart,
      scale: 'linear',
      groups: [
        {
          label: 'g',
          bars: [
            { label: 'a', value: 1 },
            { label: 'b', value: 2 },
          ],
        },
      ],
      format: (n) => `${n}×`,
      marks: [{ value: 0.8, label: 'target' }],
    });
    expect(Math.abs(widthOf(linear, 'b') - 2 * widthOf(linear, 'a'))).toBeLessThan(0.2);
    expect(linear).toContain('>target<');
    assertWellFormed(linear);
  });

  it('escapes every XML special character', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });
});

describe('benchCharts', () => {
  it('draws one chart per table of a run, named after it', () => {
    const row = (contender: string, alg: string, mode: 'one' | 'distinct', opsPerSec: number) => ({
      ...{ alg, contender, label: contender, mode, tokens: 1, opsPerSec },
    });
    const runtimeRows = ['web', 'web-floor'].flatMap((c, i) =>
      ['one', 'distinct'].map((m) => ({
        ...row(c, 'HS256', m as 'one', 1000 * (i + 1)),
        runtime: 'deno' as const,
        roundsOpsPerSec: [1],
      })),
    );
    const charts = benchCharts({
      machine: describeMachine(false, 0),
      settings: { rounds: 5, durationMs: 500, runtimeRounds: 5, runtimeDurationMs: 300 },
      inProcess: [row('core', 'HS256', 'one', 5000)],
      cacheMemory: [],
      revocation: null,
      runtimes: [{ runtime: 'deno', version: 'Deno 2', rows: runtimeRows }],
      http: [],
      targets: [],
    });
    expect(charts.map((c) => c.file)).toEqual([
      'inproc-one.svg',
      'runtime-deno-one.svg',
      'runtime-deno-distinct.svg',
      'runtimes-floor-ratio-one.svg',
      'runtimes-floor-ratio-distinct.svg',
    ]);
    for (const c of charts) assertWellFormed(c.svg);
    // The Web build is half the floor in this made-up run.
    expect(charts[3]!.svg).toContain('>0.50×<');
  });
});
