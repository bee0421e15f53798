// `pnpm bench [--smoke] [--only=inproc|redis|http] [--servers=express,hono/bare] [--algs=RS256,ES256]
//  [--contenders=core,floor] [--modes=one|distinct] [--no-write]`: prints the markdown table, writes results/*.json|md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALL_SERVERS, type BenchSettings, runBench, settingsFor } from './bench.js';
import { hasTaskset, pinSelf } from './http/spawn.js';
import { renderMarkdown } from './report.js';
import { ALGORITHMS, type Algorithm } from './tokens.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
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
    if (!['inproc', 'redis', 'http'].includes(values.only))
      fail('--only must be inproc, redis or http');
    // `inproc` includes the revocation check on Redis (in process too); `redis` is it alone.
    settings.inProcess = values.only === 'inproc';
    settings.memory = values.only === 'inproc';
    settings.revocation = values.only === 'inproc' || values.only === 'redis';
    settings.http = values.only === 'http';
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
  const dir = new URL('../results/', import.meta.url);
  const name = values.smoke ? 'smoke' : 'latest';
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL(`${name}.md`, dir), markdown);
  console.error(`wrote bench/results/${name}.json and ${name}.md`);
}
