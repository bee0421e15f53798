import type { HttpRow } from './http/run.js';
import type { CacheMemoryRow } from './inproc/memory.js';
import type { InProcessRow, TokenMode } from './inproc/run.js';
import type { RuntimeResult } from './runtimes/run.js';

/** One speed target with what this run measured. */
export interface TargetCheck {
  target: string;
  scope: string;
  measured: string;
  /** null when the run lacks the numbers (case skipped or failed). */
  met: boolean | null;
}

const PEERS = new Set([
  'express-jwt',
  'express-oauth2-jwt-bearer',
  'fastify-jwt',
  'hono-jwk',
  'passport-jwt',
]);
const fixed = (n: number) => n.toFixed(2);

function httpTargets(rows: readonly HttpRow[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const framework of [...new Set(rows.map((r) => r.framework))]) {
    const of = (mode: TokenMode) =>
      rows.filter((r) => r.framework === framework && r.mode === mode);
    const ours = of('one').find((r) => r.server === 'tokengate');
    if (ours) {
      const ratio = ours.ratioToBare;
      checks.push({
        target: 'one token, cache on: adapter ≥ 0.9× bare',
        scope: framework,
        measured:
          ratio === null
            ? 'n/a'
            : `${fixed(ratio)}× bare${ours.pairedRatioToBare == null ? '' : ` (paired median of the rounds: ${fixed(ours.pairedRatioToBare)}×)`}`,
        met: ratio === null ? null : ratio >= 0.9,
      });
    }
    const distinct = of('distinct');
    const mine = distinct.find((r) => r.server === 'tokengate')?.requestsPerSec ?? null;
    const peers = distinct.filter((r) => PEERS.has(r.server) && r.requestsPerSec !== null);
    const best = peers.sort((a, b) => b.requestsPerSec! - a.requestsPerSec!)[0];
    if (mine !== null && best) {
      const ratio = mine / best.requestsPerSec!;
      checks.push({
        target: 'distinct tokens: adapter ≥ 1.2× best peer',
        scope: framework,
        measured: `${fixed(ratio)}× ${best.server} (${Math.round(mine)} vs ${Math.round(best.requestsPerSec!)} req/s)`,
        met: ratio >= 1.2,
      });
    }
  }
  const ours = rows.filter((r) => r.server.startsWith('tokengate') && r.jwksFetches !== null);
  if (ours.length > 0) {
    const total = ours.reduce((sum, r) => sum + r.jwksFetches!, 0);
    const runs = ours.reduce((sum, r) => sum + r.roundsRequestsPerSec.length, 0);
    checks.push({
      target: 'steady state: zero JWKS fetches during a run',
      scope: 'all tokengate HTTP cases',
      measured: `${total} fetches in ${runs} timed runs (${ours.length} cases)`,
      met: total === 0,
    });
  }
  return checks;
}

type Rated = Pick<InProcessRow, 'alg' | 'contender' | 'mode' | 'opsPerSec'>;

function rate(rows: readonly Rated[], alg: string, contender: string, mode: TokenMode) {
  return (
    rows.find((r) => r.alg === alg && r.contender === contender && r.mode === mode)?.opsPerSec ??
    null
  );
}

function ratioCheck(
  rows: readonly Rated[],
  alg: string,
  [ours, theirs]: [string, string],
  target: string,
  min: number,
): TargetCheck {
  const parts: string[] = [];
  let met: boolean | null = true;
  for (const mode of ['one', 'distinct'] as const) {
    const a = rate(rows, alg, ours, mode);
    const b = rate(rows, alg, theirs, mode);
    if (a === null || !b) continue;
    parts.push(`${mode}: ${fixed(a / b)}× (${Math.round(a)} vs ${Math.round(b)}/s)`);
    if (a / b < min) met = false;
  }
  return {
    target,
    scope: alg,
    measured: parts.join('; ') || 'n/a',
    met: parts.length ? met : null,
  };
}

const RUNTIME_NAMES: Record<string, string> = {
  node: 'Node',
  bun: 'Bun',
  deno: 'Deno',
  workerd: 'workerd',
};

// Per runtime and algorithm: the Web build against this runtime's Web Crypto floor; on Node
// also the Node build's HS256 against the node:crypto floor, and the Web build's cache against
// the Node build's (same process, same run).
function runtimeTargets(results: readonly RuntimeResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const { runtime, rows } of results) {
    const name = RUNTIME_NAMES[runtime] ?? runtime;
    const algs = [...new Set(rows.map((r) => r.alg))];
    for (const alg of algs) {
      const check = ratioCheck(
        rows,
        alg,
        ['web', 'web-floor'],
        'Web build uncached ≥ 0.8× Web Crypto floor',
        0.8,
      );
      checks.push({ ...check, scope: `${name} ${alg}` });
    }
    if (runtime !== 'node') continue;
    if (algs.includes('HS256')) {
      const check = ratioCheck(
        rows,
        'HS256',
        ['node', 'node-floor'],
        'Node build uncached ≥ 0.8× node:crypto floor',
        0.8,
      );
      checks.push({ ...check, scope: `${name} HS256` });
    }
    for (const alg of algs) {
      const check = ratioCheck(
        rows,
        alg,
        ['web-cache', 'node-cache'],
        'Web build cached within 2× of Node build cached',
        0.5,
      );
      checks.push({ ...check, scope: `${name} ${alg}` });
    }
  }
  return checks;
}

/**
 * Check this run's numbers against the speed targets.
 *
 * @example
 * const checks = checkTargets(inProcessRows, httpRows, memoryRows, runtimeResults);
 */
export function checkTargets(
  inProcess: readonly InProcessRow[],
  http: readonly HttpRow[],
  memory: readonly CacheMemoryRow[],
  runtimes: readonly RuntimeResult[] = [],
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const alg of [...new Set(inProcess.map((r) => r.alg))]) {
    checks.push(
      ratioCheck(inProcess, alg, ['core', 'floor'], 'in-process uncached ≥ 0.8× floor', 0.8),
    );
  }
  for (const alg of [...new Set(inProcess.map((r) => r.alg))]) {
    checks.push(
      ratioCheck(
        inProcess,
        alg,
        ['core-cache', 'fast-jwt-cache'],
        'cached path ≥ fast-jwt cached',
        1,
      ),
    );
  }
  const [full, quarter] = memory.filter((r) => r.contender === 'core-cache');
  if (full?.heapBytes != null && quarter?.heapBytes != null) {
    checks.push({
      target: 'memory of a 10,000-entry cache reported and bounded',
      scope: 'core cache, HS256 tokens',
      measured: `${(full.heapBytes / 2 ** 20).toFixed(1)} MiB at ${full.maxEntries} entries; ${(quarter.heapBytes / 2 ** 20).toFixed(1)} MiB capped at ${quarter.maxEntries} after the same ${quarter.tokens} tokens`,
      met: quarter.heapBytes < full.heapBytes * 0.5,
    });
  }
  return [...checks, ...runtimeTargets(runtimes), ...httpTargets(http)];
}
