/** How long to time one case. */
export interface MeasureOptions {
  /** Untimed warm-up before the timed run, in ms. */
  warmupMs: number;
  /** Timed run, in ms (the run stops at the first check past it). */
  durationMs: number;
  /** Timed runs per case; the best is kept (the least disturbed by other work). Default 1. */
  rounds?: number;
}

/** Operations completed in a timed run. */
export interface Measurement {
  ops: number;
  elapsedMs: number;
  opsPerSec: number;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

// The clock is read every CHECK_EVERY operations so that reading it costs nothing measurable.
const CHECK_EVERY = 16;

function timeSync(run: (input: unknown) => unknown, inputs: readonly unknown[], ms: number) {
  const n = inputs.length;
  const start = performance.now();
  let ops = 0;
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < CHECK_EVERY; k++) run(inputs[(ops + k) % n]);
    ops += CHECK_EVERY;
    now = performance.now();
  }
  return { ops, elapsedMs: now - start };
}

async function timeAsync(run: (input: unknown) => unknown, inputs: readonly unknown[], ms: number) {
  const n = inputs.length;
  const start = performance.now();
  let ops = 0;
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < CHECK_EVERY; k++) await run(inputs[(ops + k) % n]);
    ops += CHECK_EVERY;
    now = performance.now();
  }
  return { ops, elapsedMs: now - start };
}

/**
 * Time `run` over `inputs` (cycled in order), one call after another as a server would make
 * them, and keep the best of `rounds` timed runs. Awaits only when `run` returns a promise, so
 * synchronous verifiers pay no microtask.
 *
 * @example
 * const { opsPerSec } = await measure((t) => verify(t), tokens, { warmupMs: 200, durationMs: 1000 });
 */
export async function measure(
  run: (input: unknown) => unknown,
  inputs: readonly unknown[],
  options: MeasureOptions,
): Promise<Measurement> {
  if (inputs.length === 0) throw new TypeError('measure needs at least one input');
  const first = run(inputs[0]);
  if (isThenable(first)) await first;
  const timer = isThenable(first) ? timeAsync : timeSync;
  await timer(run, inputs, options.warmupMs);
  let best: Measurement | undefined;
  for (let round = 0; round < (options.rounds ?? 1); round++) {
    const { ops, elapsedMs } = await timer(run, inputs, options.durationMs);
    const opsPerSec = (ops / elapsedMs) * 1000;
    if (!best || opsPerSec > best.opsPerSec) best = { ops, elapsedMs, opsPerSec };
  }
  return best!;
}
