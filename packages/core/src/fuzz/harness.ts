// The bounded run of the properties inside the test command: a fixed seed and a fixed number of
// runs per property, so a test file costs the same on every run and a failure replays exactly.
import fc from 'fast-check';
import { type FuzzProperty, TEST_SEED } from './properties.js';

/** Seed of the bounded run; `FUZZ_SEED` replays another seed (a `pnpm fuzz` failure). */
export const SEED = Number(process.env.FUZZ_SEED ?? TEST_SEED);

/**
 * Check each property for `numRuns` cases from {@link SEED}; a failure names the property,
 * with fast-check's seed, path and counterexample.
 *
 * @example
 * await assertProperties(parserProperties(), 200);
 */
export async function assertProperties(properties: FuzzProperty[], numRuns: number) {
  for (const { name, property } of properties) {
    const details = await fc.check(property, { seed: SEED, numRuns });
    if (details.failed)
      throw new Error(
        `${name}\n${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`,
      );
  }
}
