// `pnpm bench [--smoke] [--only=inproc|redis|runtimes|http] [--runtimes=node,bun,deno,workerd]
//  [--servers=express,hono/bare] [--algs=RS256,ES256] [--contenders=core,floor] [--modes=one|distinct]
//  [--no-write] [--charts-only]`: prints the markdown tables, writes results/*.json|md and the SVG charts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALL_SERVERS, type BenchSettings, runBench, settingsFor } from './bench.js';
import { hasTaskset, pinSelf } from './http/spawn.js';
import { type BenchResults, renderMarkdown } from './report.js';
import { benchCharts } from './report-charts.js';
import { RUNTIMES, type RuntimeName } from './runtimes/hosts.js';
import { ALGORITHMS, type Algorithm } from './tokens.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    runtimes: { type: 'string' },
    'charts-only': { type: 'boolean', default: false },
    servers: { type: 'string' },
    algs: { type: 'string' },
    contenders: { type: 'string' },
    modes: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function buildSettings(): BenchSettings {
  const settings: BenchSettings = { ...settingsFor(values.smoke), log: (l) => console.error(l) };
  if (values.only !== undefined) {
    if (!['inproc', 'redis', 'runtimes', 'http'].includes(values.only))
      fail('--only must be inproc, redis, runtimes or http');
    // `inproc` includes the revocation check on Redis (in process too); `redis` is it alone.
    settings.inProcess = values.only === 'inproc';
    settings.memory = values.only === 'inproc';
    settings.revocation = values.only === 'inproc' || values.only === 'redis';
    settings.http = values.only === 'http';
    if (values.only !== 'runtimes') settings.runtimes = [];
  }
  const runtimes = list(values.runtimes);
  if (runtimes) {
    const unknown = runtimes.filter((r) => !(RUNTIMES as readonly string[]).includes(r));
    if (unknown.length > 0) fail(`unknown runtime(s) ${unknown.join(', ')}`);
    settings.runtimes = runtimes as RuntimeName[];
  }
  const servers = list(values.servers);
  if (servers) {
    settings.servers = ALL_SERVERS.filter((name) =>
      servers.some((s) => name === s || name.startsWith(`${s}/`)),
    );
    if (settings.servers.length === 0) fail(`no server matches ${values.servers}`);
  }
  const algs = list(values.algs);
  if (algs) {
    const unknown = algs.filter((a) => !(ALGORITHMS as readonly string[]).includes(a));
    if (unknown.length > 0) fail(`unknown algorithm(s) ${unknown.join(', ')}`);
    settings.algorithms = algs as Algorithm[];
  }
  settings.contenders = list(values.contenders);
  const modes = list(values.modes);
  if (modes) {
    if (!modes.every((m) => m === 'one' || m === 'distinct'))
      fail('--modes takes one, distinct or both');
    settings.modes = modes as BenchSettings['modes'];
  }
  return settings;
}

const resultsDir = new URL('../results/', import.meta.url);

function writeCharts(results: BenchResults) {
  for (const chart of benchCharts(results)) {
    writeFileSync(new URL(chart.file, resultsDir), chart.svg);
    console.error(`wrote bench/results/${chart.file}`);
  }
}

// Re-draw the charts and tables of the recorded runs (the full run and the last runtimes run),
// no timing: after a change to the report, the results say what they said, in the new form.
if (values['charts-only']) {
  for (const name of ['latest', 'runtimes']) {
    const file = new URL(`${name}.json`, resultsDir);
    if (!existsSync(file)) continue;
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
    writeCharts({ ...recorded, runtimes: recorded.runtimes ?? [] });
    writeFileSync(
      new URL(`${name}.md`, resultsDir),
      renderMarkdown({ ...recorded, runtimes: recorded.runtimes ?? [] }),
    );
  }
  process.exit(0);
}

const settings = buildSettings();
// Server and load generator on different CPUs, so neither steals the other's time.
if (hasTaskset()) {
  pinSelf(0);
  settings.serverCpu = 1;
}
const results = await runBench(settings);
const markdown = renderMarkdown(results);
process.stdout.write(markdown);
if (!values['no-write']) {
  // A partial run (--only) writes its own files, so it never replaces the full run's.
  const name = values.smoke ? 'smoke' : (values.only ?? 'latest');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(new URL(`${name}.json`, resultsDir), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL(`${name}.md`, resultsDir), markdown);
  console.error(`wrote bench/results/${name}.json and ${name}.md`);
  // The README embeds the full run's charts and the runtimes run's: other partial runs keep
  // theirs to their own markdown.
  if (!values.smoke && (values.only === undefined || values.only === 'runtimes'))
    writeCharts(results);
}
