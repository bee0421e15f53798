import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { HttpRow } from './http/run.js';
import type { CacheMemoryRow } from './inproc/memory.js';
import type { RevocationResult } from './inproc/revocation.js';
import type { InProcessRow, TokenMode } from './inproc/run.js';
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

function targetsTable(checks: readonly TargetCheck[]): string {
  const mark = (met: boolean | null) => (met === null ? 'n/a' : met ? 'yes' : 'no');
  const body = checks.map((c) => [c.target, c.scope, c.measured, mark(c.met)]);
  return `**Targets**\n\n${table(['target', 'scope', 'measured', 'met'], body)}`;
}

/**
 * Render a run as markdown: machine line, in-process tables, cache memory, the revocation
 * check on Redis, HTTP, targets.
 *
 * @example
 * process.stdout.write(renderMarkdown(results));
 */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const parts = [
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}; ${m.pinned ? 'server and load generator pinned to different CPUs with taskset' : 'no CPU pinning'}; @tokengate/core from \`${m.coreEntry}\`; load average ${m.loadAverage.start.toFixed(1)} at the start, ${m.loadAverage.end.toFixed(1)} at the end; ${m.date}.`,
  ];
  const modes = [...new Set(results.inProcess.map((r) => r.mode))];
  for (const mode of modes) parts.push(inProcessTable(results.inProcess, mode, results.settings));
  if (results.cacheMemory.length > 0) parts.push(memoryTable(results.cacheMemory));
  if (results.revocation) parts.push(revocationTable(results.revocation, results.settings));
  if (results.http.length > 0) parts.push(httpTable(results.http, results.settings));
  if (results.targets.length > 0) parts.push(targetsTable(results.targets));
  return `${parts.join('\n\n')}\n`;
}
