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

async function runContender(
  contender: Contender,
  fixture: Fixture,
  plan: InProcessPlan,
): Promise<InProcessRow[]> {
  const base = { alg: fixture.alg, contender: contender.id, label: contender.label };
  const skip = (note: string) =>
    plan.modes.map((mode) => ({ ...base, mode, tokens: 0, opsPerSec: null, note }));
  const runner = await contender.build(fixture, plan.claims);
  if (!runner) return skip('algorithm not supported');
  const problem = await checkRunner(runner, fixture, plan.forged.get(fixture.alg)!);
  if (problem) return skip(problem);
  const rows: InProcessRow[] = [];
  for (const mode of plan.modes) {
    const tokens = mode === 'one' ? [fixture.one] : fixture.tokens;
    const inputs = tokens.map((token) => runner.prepare(token));
    // A cache sized for every user is measured full: its steady state, not its first pass.
    if (contender.cached && mode === 'distinct')
      for (const input of inputs) await runner.run(input);
    const { opsPerSec } = await measure((input) => runner.run(input), inputs, plan);
    rows.push({ ...base, mode, tokens: tokens.length, opsPerSec });
    plan.log?.(`  ${fixture.alg} ${contender.id} ${mode}: ${Math.round(opsPerSec)}/s`);
  }
  return rows;
}

/**
 * Time every contender on every algorithm and token mode, after checking each one accepts the
 * valid token and refuses the forged one.
 *
 * @example
 * const rows = await runInProcess({ fixtures, claims, forged, modes: ['one'], warmupMs: 100, durationMs: 500 });
 */
export async function runInProcess(plan: InProcessPlan): Promise<InProcessRow[]> {
  const contenders = CONTENDERS.filter((c) => !plan.contenders || plan.contenders.includes(c.id));
  const rows: InProcessRow[] = [];
  for (const fixture of plan.fixtures) {
    for (const contender of contenders)
      rows.push(...(await runContender(contender, fixture, plan)));
  }
  return rows;
}
