import type { TokenMode } from '../inproc/run.js';
import type { Fixture, TokenClaimsConfig } from '../tokens.js';
import { type RuntimeHost, type RuntimeName, startRuntime } from './hosts.js';
import { NODE_CONTENDERS } from './node-contenders.js';
import { type SuiteCase, type SuiteRequest, toWire } from './wire.js';

/** One verifier, algorithm and token mode on one runtime. `opsPerSec`: null when not timed. */
export interface RuntimeRow {
  runtime: RuntimeName;
  alg: string;
  contender: string;
  label: string;
  mode: TokenMode;
  tokens: number;
  /** The median of the rounds' verifications/s. */
  opsPerSec: number | null;
  roundsOpsPerSec: number[];
  note?: string;
}

/** One runtime's results; `note` says why it has none (it did not start). */
export interface RuntimeResult {
  runtime: RuntimeName;
  version: string;
  rows: RuntimeRow[];
  note?: string;
}

/** What the cross-runtime bench runs. */
export interface RuntimePlan {
  runtimes: readonly RuntimeName[];
  fixtures: readonly Fixture[];
  /** Forged token per algorithm: every verifier must refuse it before it is timed. */
  forged: ReadonlyMap<string, string>;
  claims: TokenClaimsConfig;
  modes: readonly TokenMode[];
  /** Contender ids to run; default all the runtime has. */
  contenders?: readonly string[];
  cacheEntries: number;
  /** Untimed warm-up per case (it also sizes the timed batches), then `rounds` batches of `durationMs`. */
  warmupMs: number;
  durationMs: number;
  rounds: number;
  /** Bundle core from its TypeScript sources instead of `dist`. */
  source: boolean;
  log?: (line: string) => void;
}

/**
 * The median of a list of numbers (the mean of the middle two for an even count).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function send(host: RuntimeHost, request: SuiteRequest) {
  const reply = await host.send(request);
  if (reply.error) throw new Error(`${host.name}: ${reply.error}`);
  return reply;
}

// The host times each batch with its own clock: workerd's clocks stand still while a request
// computes (a Spectre mitigation), so the runtime cannot time itself there. The cost of one
// empty round trip is measured and taken off every batch.
async function timeBatch(host: RuntimeHost, request: SuiteRequest): Promise<number> {
  const start = performance.now();
  await send(host, request);
  return performance.now() - start;
}

async function roundTripMs(host: RuntimeHost, c: SuiteCase): Promise<number> {
  const empty = {
    op: 'run',
    contender: c.contender,
    alg: c.alg,
    mode: 'one',
    iterations: 0,
  } as const;
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) samples.push(await timeBatch(host, empty));
  return median(samples)!;
}

interface Timed {
  c: SuiteCase;
  iterations: number;
  rounds: number[];
}

// Warm up with doubling batches until `warmupMs` has passed; the last batch's rate sizes the
// timed batches to about `durationMs` each.
async function warmUp(
  host: RuntimeHost,
  c: SuiteCase,
  mode: TokenMode,
  plan: RuntimePlan,
  trip: number,
) {
  let iterations = 8;
  let spent = 0;
  let rate = 0;
  // A batch long against the round trip (≥ 20 round trips, ≥ 10 ms) gives the rate.
  const long = Math.max(10, trip * 20);
  for (;;) {
    const request = { op: 'run', contender: c.contender, alg: c.alg, mode, iterations } as const;
    const ms = await timeBatch(host, request);
    spent += ms;
    if (ms >= long) rate = iterations / (ms - trip);
    if (spent >= plan.warmupMs && rate > 0) break;
    if (ms < long) iterations *= 2;
  }
  return Math.max(1, Math.round(rate * plan.durationMs));
}

async function timeMode(
  host: RuntimeHost,
  cases: readonly SuiteCase[],
  mode: TokenMode,
  tokens: number,
  plan: RuntimePlan,
  trip: number,
): Promise<RuntimeRow[]> {
  const timed: Timed[] = [];
  for (const c of cases) {
    if (mode === 'distinct' && c.cached)
      await send(host, { op: 'prime', contender: c.contender, alg: c.alg });
    timed.push({ c, iterations: await warmUp(host, c, mode, plan, trip), rounds: [] });
  }
  // Rounds interleaved across the verifiers, each round starting one further on: a burst of
  // other work on a shared machine hits them alike.
  for (let round = 0; round < plan.rounds; round++) {
    for (let k = 0; k < timed.length; k++) {
      const t = timed[(k + round) % timed.length]!;
      const request = {
        op: 'run',
        contender: t.c.contender,
        alg: t.c.alg,
        mode,
        iterations: t.iterations,
      } as const;
      const ms = await timeBatch(host, request);
      t.rounds.push((t.iterations / Math.max(ms - trip, ms / 2)) * 1000);
    }
  }
  return timed.map(({ c, rounds }) => {
    const opsPerSec = median(rounds);
    plan.log?.(`  ${host.name} ${c.alg} ${c.contender} ${mode}: ${Math.round(opsPerSec ?? 0)}/s`);
    return {
      runtime: host.name,
      alg: c.alg,
      contender: c.contender,
      label: c.label,
      mode,
      tokens,
      opsPerSec,
      roundsOpsPerSec: rounds,
    };
  });
}

// An application loads one build: the Web build's verifiers (with jose and the Web Crypto floor)
// and the Node build's (with the node:crypto floor) run in separate processes of the runtime,
// so that the JIT state one leaves in the built-ins both call does not slow the other.
const NODE_BUILD = new Set(NODE_CONTENDERS.map((c) => c.id));
const PROCESS_GROUPS: readonly ((contender: string) => boolean)[] = [
  (contender) => !NODE_BUILD.has(contender),
  (contender) => NODE_BUILD.has(contender),
];

// The rows of one group, and whether the runtime has verifiers outside it.
async function runOn(
  host: RuntimeHost,
  plan: RuntimePlan,
  inGroup: (contender: string) => boolean,
): Promise<{ rows: RuntimeRow[]; others: boolean }> {
  const input = {
    claims: plan.claims,
    cacheEntries: plan.cacheEntries,
    fixtures: plan.fixtures.map((f) => toWire(f, plan.forged.get(f.alg)!)),
  };
  const { cases = [] } = await send(host, { op: 'setup', input });
  const wanted = cases.filter(
    (c) => inGroup(c.contender) && (!plan.contenders || plan.contenders.includes(c.contender)),
  );
  const rows: RuntimeRow[] = [];
  const ready = wanted.filter((c) => c.note === undefined);
  const trip = ready[0] ? await roundTripMs(host, ready[0]) : 0;
  for (const fixture of plan.fixtures) {
    const skipped = wanted.filter((c) => c.alg === fixture.alg && c.note !== undefined);
    const ofAlg = ready.filter((c) => c.alg === fixture.alg);
    for (const mode of plan.modes) {
      const tokens = mode === 'one' ? 1 : fixture.tokens.length;
      for (const c of skipped) {
        rows.push({
          runtime: host.name,
          alg: c.alg,
          contender: c.contender,
          label: c.label,
          mode,
          tokens: 0,
          opsPerSec: null,
          roundsOpsPerSec: [],
          note: c.note!,
        });
      }
      rows.push(...(await timeMode(host, ofAlg, mode, tokens, plan, trip)));
    }
  }
  return { rows, others: cases.some((c) => !inGroup(c.contender)) };
}

async function runGroups(runtime: RuntimeName, plan: RuntimePlan): Promise<RuntimeResult> {
  const rows: RuntimeRow[] = [];
  let version = 'unknown';
  for (const inGroup of PROCESS_GROUPS) {
    let host: RuntimeHost;
    try {
      host = await startRuntime(runtime, plan.source);
    } catch (error) {
      return { runtime, version, rows, note: `did not start: ${(error as Error).message}` };
    }
    version = host.version;
    try {
      const group = await runOn(host, plan, inGroup);
      rows.push(...group.rows);
      if (!group.others) break;
    } catch (error) {
      return { runtime, version, rows: [], note: (error as Error).message };
    } finally {
      await host.close();
    }
  }
  return { runtime, version, rows };
}

/**
 * Run the in-process suite on each runtime in turn (Node, Bun, Deno as child processes over
 * stdin/stdout, workerd through Miniflare): every verifier on every algorithm and token mode,
 * after a correctness gate in that runtime, the Web build's and the Node build's verifiers each
 * in a process of their own. A runtime that fails to start is reported, not fatal.
 *
 * @example
 * const results = await runRuntimes({ runtimes: ['node', 'workerd'], fixtures, forged, claims, modes: ['one'], cacheEntries: 100, warmupMs: 50, durationMs: 100, rounds: 3, source: true });
 */
export async function runRuntimes(plan: RuntimePlan): Promise<RuntimeResult[]> {
  const results: RuntimeResult[] = [];
  for (const runtime of plan.runtimes) {
    plan.log?.(`runtime ${runtime}:`);
    results.push(await runGroups(runtime, plan));
  }
  return results;
}
