import type { Fixture, TokenClaimsConfig } from '../tokens.js';
import { CONTENDERS, type Contender, type Runner } from './contenders.js';
import { type MeasureOptions, measure } from './measure.js';

/** "one": the same token every time; "distinct": every token of the fixture, cycled. */
export type TokenMode = 'one' | 'distinct';

/** One in-process result. `opsPerSec` is null when the case did not run (see `note`). */
export interface InProcessRow {
  alg: string;
  contender: string;
  label: string;
  mode: TokenMode;
  tokens: number;
  opsPerSec: number | null;
  note?: string;
}

/** What to run in process. */
export interface InProcessPlan extends MeasureOptions {
  fixtures: readonly Fixture[];
  claims: TokenClaimsConfig;
  /** Forged token per algorithm (valid claims, wrong key): must be refused before timing. */
  forged: ReadonlyMap<string, string>;
  modes: readonly TokenMode[];
  /** Contender ids to run; default all. */
  contenders?: readonly string[];
  /** The contenders to pick from; default {@link CONTENDERS} (the tables' verifiers). */
  pool?: readonly Contender[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

async function rejects(runner: Runner, token: string): Promise<boolean> {
  try {
    await runner.run(runner.prepare(token));
    return false;
  } catch {
    return true;
  }
}

/** Correctness before timing: the valid token passes, the forged one is refused. */
async function checkRunner(
  runner: Runner,
  fixture: Fixture,
  forged: string,
): Promise<string | undefined> {
  try {
    await runner.run(runner.prepare(fixture.one));
  } catch (error) {
    return `refused a valid token: ${(error as Error).message}`;
  }
  if (!(await rejects(runner, forged))) return 'accepted a forged token';
  return undefined;
}

/** A contender ready to time on one algorithm, or the rows saying why it is not. */
type Prepared = { contender: Contender; runner: Runner } | { skipped: InProcessRow[] };

async function prepare(
  contender: Contender,
  fixture: Fixture,
  plan: InProcessPlan,
): Promise<Prepared> {
  const base = { alg: fixture.alg, contender: contender.id, label: contender.label };
  const skip = (note: string) => ({
    skipped: plan.modes.map((mode) => ({ ...base, mode, tokens: 0, opsPerSec: null, note })),
  });
  const runner = await contender.build(fixture, plan.claims);
  if (!runner) return skip('algorithm not supported');
  const problem = await checkRunner(runner, fixture, plan.forged.get(fixture.alg)!);
  if (problem) return skip(problem);
  return { contender, runner };
}

/**
 * Time every ready contender of one algorithm in one token mode. Rounds are interleaved across
 * the contenders (as the HTTP runs are across servers): a burst of other work on a shared
 * machine hits them alike, and every contender runs beside the same live heap.
 */
async function timeMode(
  ready: readonly { contender: Contender; runner: Runner }[],
  fixture: Fixture,
  mode: TokenMode,
  plan: InProcessPlan,
): Promise<InProcessRow[]> {
  const tokens = mode === 'one' ? [fixture.one] : fixture.tokens;
  const cases = ready.map(({ contender, runner }) => ({
    contender,
    run: (input: unknown) => runner.run(input),
    inputs: tokens.map((token) => runner.prepare(token)),
    best: 0,
  }));
  // A cache sized for every user is measured full: its steady state, not its first pass.
  for (const c of cases)
    if (c.contender.cached && mode === 'distinct') for (const input of c.inputs) await c.run(input);
  for (let round = 0; round < (plan.rounds ?? 1); round++) {
    for (const c of cases) {
      const warmupMs = round === 0 ? plan.warmupMs : 0;
      const { opsPerSec } = await measure(c.run, c.inputs, { ...plan, warmupMs, rounds: 1 });
      c.best = Math.max(c.best, opsPerSec);
    }
  }
  return cases.map(({ contender, best }) => {
    plan.log?.(`  ${fixture.alg} ${contender.id} ${mode}: ${Math.round(best)}/s`);
    return {
      ...{ alg: fixture.alg, contender: contender.id, label: contender.label },
      ...{ mode, tokens: tokens.length, opsPerSec: best },
    };
  });
}

/**
 * Time every contender on every algorithm and token mode, after checking each one accepts the
 * valid token and refuses the forged one. Each timed run keeps the best of `rounds` rounds,
 * interleaved across the contenders.
 *
 * @example
 * const rows = await runInProcess({ fixtures, claims, forged, modes: ['one'], warmupMs: 100, durationMs: 500 });
 */
export async function runInProcess(plan: InProcessPlan): Promise<InProcessRow[]> {
  const pool = plan.pool ?? CONTENDERS;
  const contenders = pool.filter((c) => !plan.contenders || plan.contenders.includes(c.id));
  const rows: InProcessRow[] = [];
  for (const fixture of plan.fixtures) {
    const ready: { contender: Contender; runner: Runner }[] = [];
    for (const contender of contenders) {
      const prepared = await prepare(contender, fixture, plan);
      if ('skipped' in prepared) rows.push(...prepared.skipped);
      else ready.push(prepared);
    }
    for (const mode of plan.modes) rows.push(...(await timeMode(ready, fixture, mode, plan)));
  }
  return rows;
}
