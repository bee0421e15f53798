import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { HttpRow } from './http/run.js';
import type { CacheMemoryRow } from './inproc/memory.js';
import type { RevocationResult } from './inproc/revocation.js';
import type { InProcessRow, TokenMode } from './inproc/run.js';
import type { RuntimeName } from './runtimes/hosts.js';
import type { RuntimeResult, RuntimeRow } from './runtimes/run.js';
import type { TargetCheck } from './targets.js';

/** The machine a run happened on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  /** Server and load generator pinned to different CPUs with taskset. */
  pinned: boolean;
  /** 1-minute load average when the run started and when it ended (other work on the machine). */
  loadAverage: { start: number; end: number };
  /** The file `@tokengate/core` resolved to in the benchmark process (dist/node.js on Node). */
  coreEntry: string;
  date: string;
}

/** Everything one run produced (what bench/results/latest.json holds). */
export interface BenchResults {
  machine: MachineInfo;
  settings: Record<string, unknown>;
  inProcess: InProcessRow[];
  cacheMemory: CacheMemoryRow[];
  /** Core with and without `@tokengate/redis`'s `isRevoked`; null when not run. */
  revocation: RevocationResult | null;
  http: HttpRow[];
  /** The in-process suite on Node, Bun, Deno and workerd; empty when not run. */
  runtimes: RuntimeResult[];
  targets: TargetCheck[];
}

/**
 * The module `@tokengate/core` resolves to here, relative to the repository.
 *
 * @example
 * coreEntry(); // 'packages/core/dist/node.js'
 */
export function coreEntry(): string {
  try {
    return import.meta.resolve('@tokengate/core').replace(/^.*?\/packages\//, 'packages/');
  } catch {
    return 'unknown';
  }
}

/**
 * Describe this machine: CPU count and model, Node version.
 *
 * @example
 * const machine = describeMachine(true, os.loadavg()[0]);
 */
export function describeMachine(pinned: boolean, loadAtStart: number): MachineInfo {
  let cpuModel = 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: keep "unknown"
  }
  return {
    // All CPUs, not this process's affinity (the CLI pins itself to one).
    cpus: cpus().length,
    cpuModel,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    pinned,
    loadAverage: { start: loadAtStart, end: loadavg()[0]! },
    coreEntry: coreEntry(),
    date: new Date().toISOString(),
  };
}

const MODE_TITLE: Record<TokenMode, string> = {
  one: 'one token repeated',
  distinct: 'distinct tokens cycled',
};

const int = (n: number | null) => (n === null ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n: number | null) =>
  n === null ? '–' : Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
// A note (an error message) must stay on one line and not open a table cell.
const cell = (text: string) => text.replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 200);
const mib = (n: number | null) => (n === null ? '–' : (n / 2 ** 20).toFixed(1));

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function inProcessTable(
  rows: readonly InProcessRow[],
  mode: TokenMode,
  settings: Record<string, unknown>,
): string {
  const modeRows = rows.filter((r) => r.mode === mode);
  const algs = [...new Set(modeRows.map((r) => r.alg))];
  const contenders = [...new Map(modeRows.map((r) => [r.contender, r.label])).entries()];
  const tokens = Math.max(...modeRows.map((r) => r.tokens));
  const body = contenders.map(([id, label]) => [
    label,
    ...algs.map((alg) => {
      const row = modeRows.find((r) => r.contender === id && r.alg === alg);
      return row?.opsPerSec == null
        ? `– ${row?.note ? `(${row.note})` : ''}`.trim()
        : int(row.opsPerSec);
    }),
  ]);
  const title = `**In process, ${MODE_TITLE[mode]}** (${tokens.toLocaleString('en-US')} token${tokens === 1 ? '' : 's'}; verifications/s, one after another, best of ${settings.rounds} × ${settings.durationMs} ms)`;
  return `${title}\n\n${table(['verifier', ...algs], body)}`;
}

function memoryTable(rows: readonly CacheMemoryRow[]): string {
  const body = rows.map((r) => [
    r.contender,
    r.maxEntries.toLocaleString('en-US'),
    r.tokens.toLocaleString('en-US'),
    mib(r.heapBytes),
  ]);
  return `**Verified-token cache memory** (heap growth after GC)\n\n${table(['cache', 'capacity', 'distinct tokens fed', 'heap MiB'], body)}`;
}

function revocationTable(result: RevocationResult, settings: Record<string, unknown>): string {
  const title = '**In process, revocation check on Redis**';
  if (result.rows.length === 0) return `${title}: ${cell(result.note ?? 'no rows')}`;
  const us = (n: number | null) => (n === null ? '–' : n.toFixed(n < 10 ? 2 : 1));
  const body = result.rows.map((r) => [
    r.label,
    r.cache ? 'on' : 'off',
    r.opsPerSec === null ? `– ${r.note ? `(${cell(r.note)})` : ''}`.trim() : int(r.opsPerSec),
    us(r.usPerVerification),
    r.hook === 'none' || r.addedUs === null ? '–' : `${r.addedUs >= 0 ? '+' : ''}${us(r.addedUs)}`,
  ]);
  const how = `${result.alg}, one token repeated, core timed through the request protocol as the "tokengate core" rows are, redis-server ${result.redisVersion} on 127.0.0.1 (no persistence); best of ${settings.rounds} × ${settings.durationMs} ms, interleaved; "+ µs": over the verifier without a hook, same cache setting`;
  const head = ['isRevoked', 'cache', 'verifications/s', 'µs per verification', '+ µs'];
  return `${title} (${how})\n\n${table(head, body)}`;
}

function httpTable(rows: readonly HttpRow[], settings: Record<string, unknown>): string {
  const body = rows.map((r) => [
    r.framework,
    r.server,
    MODE_TITLE[r.mode],
    int(r.requestsPerSec),
    r.ratioToBare === null ? '–' : `${r.ratioToBare.toFixed(2)}×`,
    r.pairedRatioToBare == null ? '–' : `${r.pairedRatioToBare.toFixed(2)}×`,
    r.serverCpuUsPerRequest == null ? '–' : r.serverCpuUsPerRequest.toFixed(1),
    ms(r.p50Ms),
    ms(r.p99Ms),
    mib(r.peakRssBytes),
    r.jwksFetches === null ? '–' : String(r.jwksFetches),
    cell(r.note ?? ''),
  ]);
  const head = [
    'framework',
    'server',
    'tokens',
    'req/s',
    '× bare',
    '× bare, paired',
    'server CPU µs/req',
    'p50 ms',
    'p99 ms',
    'peak RSS MiB',
    'JWKS fetches',
    'note',
  ];
  const { connections, distinctTokens, httpDurationSec, httpRounds } = settings;
  const how = `autocannon, ${connections} connections, best of ${httpRounds} × ${httpDurationSec} s, the servers' order rotated each round; "× bare, paired": the median over the rounds of the ratio to bare in the same round; the distinct mode cycles ${Number(distinctTokens).toLocaleString('en-US')} tokens, our cache sized to them (${Number(distinctTokens).toLocaleString('en-US')} entries; one-token mode: default 1,000)`;
  return `**HTTP, RS256 through a loopback JWKS server** (${how})\n\n${table(head, body)}`;
}

const RUNTIME_TITLE: Record<string, string> = {
  node: 'Node',
  bun: 'Bun',
  deno: 'Deno',
  workerd: 'workerd',
};

function runtimeTable(
  result: RuntimeResult,
  mode: TokenMode,
  settings: Record<string, unknown>,
): string {
  const rows = result.rows.filter((r) => r.mode === mode);
  const algs = [...new Set(rows.map((r) => r.alg))];
  const contenders = [...new Map(rows.map((r) => [r.contender, r.label])).entries()];
  const tokens = Math.max(...rows.map((r) => r.tokens));
  const body = contenders.map(([id, label]) => [
    label,
    ...algs.map((alg) => {
      const row = rows.find((r) => r.contender === id && r.alg === alg);
      return row?.opsPerSec == null
        ? `– ${row?.note ? `(${cell(row.note)})` : ''}`.trim()
        : int(row.opsPerSec);
    }),
  ]);
  const { runtimeRounds, runtimeDurationMs } = settings;
  const title = `**On ${RUNTIME_TITLE[result.runtime]}, ${MODE_TITLE[mode]}** (${result.version}; ${tokens.toLocaleString('en-US')} token${tokens === 1 ? '' : 's'}; verifications/s, one after another, median of ${runtimeRounds} × ${runtimeDurationMs} ms, interleaved)`;
  return `${title}\n\n${table(['verifier', ...algs], body)}`;
}

/**
 * Verifications/s of `contender` over `base`'s, for one runtime, algorithm and mode; null
 * when either was not timed.
 *
 * @example
 * runtimeRatio(rows, 'HS256', 'web', 'web-floor', 'distinct'); // 0.93
 */
export function runtimeRatio(
  rows: readonly RuntimeRow[],
  alg: string,
  contender: string,
  base: string,
  mode: TokenMode,
): number | null {
  const of = (id: string) =>
    rows.find((r) => r.alg === alg && r.contender === id && r.mode === mode)?.opsPerSec ?? null;
  const a = of(contender);
  const b = of(base);
  return a === null || !b ? null : a / b;
}

/**
 * The summary rows: what each verifier is divided by, and the least ratio that meets the
 * target; `targetOn`: the one runtime the target is set for (elsewhere the ratio is shown bare).
 */
const RATIO_ROWS: readonly {
  contender: string;
  base: string;
  label: string;
  min: number | null;
  targetOn?: RuntimeName;
}[] = [
  {
    contender: 'web',
    base: 'web-floor',
    label: 'tokengate Web build ÷ Web Crypto floor',
    min: 0.8,
  },
  { contender: 'jose', base: 'web-floor', label: 'jose ÷ Web Crypto floor', min: null },
  {
    contender: 'node',
    base: 'node-floor',
    label: 'tokengate Node build ÷ node:crypto floor',
    min: 0.8,
    targetOn: 'node',
  },
  {
    contender: 'web-cache',
    base: 'node-cache',
    label: 'Web build cached ÷ Node build cached',
    min: 0.5,
    targetOn: 'node',
  },
];

function runtimeRatioTable(results: readonly RuntimeResult[], mode: TokenMode): string {
  const algs = [...new Set(results.flatMap((r) => r.rows.map((row) => row.alg)))];
  const body: string[][] = [];
  for (const result of results) {
    for (const { contender, base, label, min, targetOn } of RATIO_ROWS) {
      const ratios = algs.map((alg) => runtimeRatio(result.rows, alg, contender, base, mode));
      if (ratios.every((r) => r === null)) continue;
      // The least ratio that meets the target here; null where no target is set.
      const target = targetOn === undefined || targetOn === result.runtime ? min : null;
      const mark = (r: number) => (target === null ? '' : r >= target ? ' ✅' : ' ❌');
      body.push([
        RUNTIME_TITLE[result.runtime]!,
        label,
        ...ratios.map((r) => (r === null ? '–' : `${r.toFixed(2)}×${mark(r)}`)),
      ]);
    }
  }
  const title = `**Across runtimes, ratios in the same run, ${MODE_TITLE[mode]}** (median verifications/s over median verifications/s; ✅/❌: the targets, the Web build uncached ≥ 0.8× its floor on every runtime and, on Node, the Node build uncached ≥ 0.8× its floor and the Web build's cache within 2× of the Node build's)`;
  return `${title}\n\n${table(['runtime', 'ratio', ...algs], body)}`;
}

function runtimeSection(results: readonly RuntimeResult[], settings: Record<string, unknown>) {
  const from = settings.source ? 'src/index.ts' : 'dist/index.js';
  const node = settings.source ? 'src/node/index.ts' : 'dist/node.js';
  const parts = [
    `**The runtimes' bundle**: each runtime runs one esbuild bundle of the suite where \`@tokengate/core\` is the Web build (\`packages/core/${from}\`) and the "Node build" rows are \`@tokengate/core/node\` (\`packages/core/${node}\`, not in workerd). An application that imports \`@tokengate/core\` on Node, Bun or Deno gets the Node build (their \`node\` export condition); on Workers, the Web build.`,
  ];
  for (const result of results) {
    if (result.rows.length === 0) {
      parts.push(
        `**On ${RUNTIME_TITLE[result.runtime]}**: not measured: ${cell(result.note ?? 'no rows')}`,
      );
      continue;
    }
    const modes = [...new Set(result.rows.map((r) => r.mode))];
    for (const mode of modes) parts.push(runtimeTable(result, mode, settings));
  }
  const modes = [...new Set(results.flatMap((r) => r.rows.map((row) => row.mode)))];
  for (const mode of modes) parts.push(runtimeRatioTable(results, mode));
  return parts;
}

function targetsTable(checks: readonly TargetCheck[]): string {
  const mark = (met: boolean | null) => (met === null ? 'n/a' : met ? 'yes' : 'no');
  const body = checks.map((c) => [c.target, c.scope, c.measured, mark(c.met)]);
  return `**Targets**\n\n${table(['target', 'scope', 'measured', 'met'], body)}`;
}

// The CLI pins itself to CPU 0 and its HTTP servers to CPU 1; runtimes it starts inherit CPU 0.
const pinning = (pinned: boolean, http: boolean) =>
  !pinned
    ? 'no CPU pinning'
    : http
      ? 'server and load generator pinned to different CPUs with taskset'
      : 'pinned to one CPU with taskset (the runtimes it starts too)';

/**
 * Render a run as markdown: machine line, in-process tables, cache memory, the revocation
 * check on Redis, the four runtimes, HTTP, targets.
 *
 * @example
 * process.stdout.write(renderMarkdown(results));
 */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const parts = [
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}; ${pinning(m.pinned, results.http.length > 0)}; @tokengate/core from \`${m.coreEntry}\`; load average ${m.loadAverage.start.toFixed(1)} at the start, ${m.loadAverage.end.toFixed(1)} at the end; ${m.date}.`,
  ];
  const modes = [...new Set(results.inProcess.map((r) => r.mode))];
  for (const mode of modes) parts.push(inProcessTable(results.inProcess, mode, results.settings));
  if (results.cacheMemory.length > 0) parts.push(memoryTable(results.cacheMemory));
  if (results.revocation) parts.push(revocationTable(results.revocation, results.settings));
  if (results.runtimes.length > 0)
    parts.push(...runtimeSection(results.runtimes, results.settings));
  if (results.http.length > 0) parts.push(httpTable(results.http, results.settings));
  if (results.targets.length > 0) parts.push(targetsTable(results.targets));
  return `${parts.join('\n\n')}\n`;
}
