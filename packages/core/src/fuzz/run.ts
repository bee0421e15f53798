// `pnpm fuzz`: the fuzz properties of the test command, from any seed, for many more cases.
//
//   pnpm fuzz                         every property, 10 000 cases each, a random seed
//   pnpm fuzz --runs 50000            more cases per property
//   pnpm fuzz --minutes 10            a time budget, shared equally by the properties
//   pnpm fuzz --seed 42 --only dpop   one seed, the properties whose name contains "dpop"
//   pnpm fuzz --seed 42 --only "<name>" --path "3:1:0"   replay one failure exactly
//
// The seed is printed first; a failure prints the command that replays it. Exit code 1 on a
// failure.
import fc from 'fast-check';
import { allProperties, createFuzzFixture } from './properties.js';

interface Args {
  seed: number;
  runs: number | undefined;
  minutes: number | undefined;
  only: string | undefined;
  path: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    seed: Math.floor(Math.random() * 2 ** 31),
    runs: undefined,
    minutes: undefined,
    only: undefined,
    path: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--') continue;
    if (value === undefined) throw new TypeError(`${flag} needs a value`);
    i++;
    const number = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new TypeError(`${flag} must be a positive number`);
      return n;
    };
    if (flag === '--seed') args.seed = Math.floor(number());
    else if (flag === '--runs') args.runs = Math.floor(number());
    else if (flag === '--minutes') args.minutes = number();
    else if (flag === '--only') args.only = value;
    else if (flag === '--path') args.path = value;
    else throw new TypeError(`Unknown option ${flag} (--seed, --runs, --minutes, --only, --path)`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const fixture = await createFuzzFixture();
  const properties = allProperties(fixture).filter(
    ({ name }) => args.only === undefined || name.includes(args.only),
  );
  if (properties.length === 0) throw new TypeError(`No property matches "${args.only}"`);
  // A time budget runs each property until its share is spent; otherwise a number of cases.
  const share =
    args.minutes === undefined ? undefined : (args.minutes * 60_000) / properties.length;
  const numRuns = share === undefined ? (args.runs ?? 10_000) : (args.runs ?? 2 ** 31 - 1);
  console.log(
    `fuzz: seed ${args.seed}, ${properties.length} properties, ` +
      (share === undefined
        ? `${numRuns} cases each`
        : `${(share / 1000).toFixed(0)} s each${args.runs ? ` (at most ${numRuns} cases)` : ''}`),
  );
  let failures = 0;
  let total = 0;
  const started = Date.now();
  for (const { name, property } of properties) {
    const began = Date.now();
    const details = await fc.check(property, {
      seed: args.seed,
      numRuns,
      ...(args.path === undefined ? {} : { path: args.path }),
      ...(share === undefined ? {} : { interruptAfterTimeLimit: share }),
      markInterruptAsFailure: false,
    });
    total += details.numRuns;
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    if (details.failed) {
      failures++;
      console.log(`FAIL ${name} (${details.numRuns} cases, ${seconds} s)`);
      console.log(fc.defaultReportMessage(details));
      console.log(String(details.errorInstance));
      console.log(
        `replay: pnpm fuzz --seed ${details.seed} --only ${JSON.stringify(name)} --path ${JSON.stringify(details.counterexamplePath)}`,
      );
    } else {
      const skipped = details.numSkips > 0 ? `, ${details.numSkips} skipped` : '';
      console.log(`ok   ${name} (${details.numRuns} cases${skipped}, ${seconds} s)`);
    }
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `fuzz: seed ${args.seed}, ${total} cases in ${minutes} min, ${failures} failing properties`,
  );
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof TypeError ? `fuzz: ${error.message}` : error);
    process.exitCode = 2;
  },
);
