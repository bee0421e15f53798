import { loadavg } from 'node:os';
import { startJwksServer } from './http/jwks-server.js';
import { type HttpRow, runHttp } from './http/run.js';
import { SERVER_MODULES } from './http/servers/catalog.js';
import { type CacheMemoryRow, measureCacheMemory } from './inproc/memory.js';
import { runRevocation } from './inproc/revocation.js';
import { type InProcessRow, runInProcess, type TokenMode } from './inproc/run.js';
import { type BenchResults, coreEntry, describeMachine } from './report.js';
import { RUNTIMES, type RuntimeName } from './runtimes/hosts.js';
import { type RuntimeResult, runRuntimes } from './runtimes/run.js';
import { checkTargets } from './targets.js';
import {
  ALGORITHMS,
  type Algorithm,
  createFixture,
  type Fixture,
  forgeToken,
  IN_PROCESS_CLAIMS,
  type TokenClaimsConfig,
} from './tokens.js';

/** What one benchmark run does. {@link settingsFor} gives the full and the smoke presets. */
export interface BenchSettings {
  inProcess: boolean;
  /** Measure the heap of a cache holding every distinct token (needs `--expose-gc`). */
  memory: boolean;
  /**
   * Time core with and without the `isRevoked` hook of `@tokengate/redis` against a
   * redis-server started for it (skipped, with a note, when there is none).
   */
  revocation: boolean;
  http: boolean;
  /**
   * Runtimes to run the in-process suite on (Web build, Web Crypto floor, jose; Node build and
   * node:crypto floor where `node:crypto` exists); empty: none.
   */
  runtimes: readonly RuntimeName[];
  /**
   * Distinct valid tokens per algorithm in the cross-runtime "distinct" mode, and the size of
   * the caches there (full before timing). Fewer than in the Node tables: every token is sent to
   * four runtimes, verified once per cached verifier to fill its cache, and enough of them
   * already defeat any per-token memo.
   */
  runtimeTokens: number;
  /** Cross-runtime warm-up and timed batch per case, ms; the median of `runtimeRounds` counts. */
  runtimeWarmupMs: number;
  runtimeDurationMs: number;
  runtimeRounds: number;
  algorithms: readonly Algorithm[];
  /** In-process contender ids; undefined: all. */
  contenders?: readonly string[];
  /** `<framework>/<variant>` HTTP servers. */
  servers: readonly string[];
  modes: readonly TokenMode[];
  /** Distinct valid tokens per algorithm for the "distinct" mode. */
  distinctTokens: number;
  /** In-process warm-up and timed run per case, ms; the best of `rounds` timed runs counts. */
  warmupMs: number;
  durationMs: number;
  rounds: number;
  /** HTTP warm-up and timed run per case, seconds; the best of `httpRounds` timed runs counts. */
  httpWarmupSec: number;
  httpDurationSec: number;
  httpRounds: number;
  connections: number;
  /** CPU for the server processes (the caller pins itself elsewhere); undefined: no pinning. */
  serverCpu?: number;
  /**
   * Servers load workspace packages from TypeScript sources (`@tokengate/source`) instead of
   * their built `dist` (where Node picks core's `node` entry). Default: as this process does.
   */
  source?: boolean;
  log?: (line: string) => void;
}

/** Every HTTP server, framework by framework, bare first. */
export const ALL_SERVERS: readonly string[] = Object.entries(SERVER_MODULES).flatMap(
  ([framework, variants]) => Object.keys(variants).map((variant) => `${framework}/${variant}`),
);

/**
 * The full preset (best of 5 × 0.5 s per in-process case, rounds interleaved across contenders; the
 * median of 5 × 250 ms per case on each runtime with 1,000 distinct tokens; best of 8 × 2 s per HTTP
 * case, the servers' order rotated each round; 10,000 distinct tokens) or the
 * smoke preset (tiny durations and 50 tokens: checks the harness, measures nothing).
 *
 * @example
 * const results = await runBench({ ...settingsFor(true), http: false });
 */
export function settingsFor(smoke: boolean): BenchSettings {
  return {
    inProcess: true,
    memory: true,
    revocation: true,
    http: true,
    runtimes: RUNTIMES,
    runtimeTokens: smoke ? 50 : 1_000,
    runtimeWarmupMs: smoke ? 10 : 300,
    runtimeDurationMs: smoke ? 20 : 250,
    runtimeRounds: smoke ? 1 : 5,
    algorithms: ALGORITHMS,
    servers: ALL_SERVERS,
    modes: ['one', 'distinct'],
    distinctTokens: smoke ? 50 : 10_000,
    warmupMs: smoke ? 10 : 300,
    durationMs: smoke ? 50 : 500,
    rounds: smoke ? 1 : 5,
    httpWarmupSec: smoke ? 0 : 1,
    httpDurationSec: smoke ? 1 : 2,
    httpRounds: smoke ? 1 : 8,
    connections: 10,
    source: coreEntry().includes('/src/'),
  };
}

async function forgedTokens(fixtures: readonly Fixture[], claims: TokenClaimsConfig) {
  const forged = new Map<string, string>();
  for (const fixture of fixtures) forged.set(fixture.alg, await forgeToken(fixture, claims));
  return forged;
}

async function inProcessPart(settings: BenchSettings) {
  const claims = IN_PROCESS_CLAIMS;
  const fixtures: Fixture[] = [];
  for (const alg of settings.algorithms) {
    settings.log?.(`signing ${settings.distinctTokens} ${alg} tokens`);
    fixtures.push(await createFixture(alg, claims, settings.distinctTokens));
  }
  const forged = await forgedTokens(fixtures, claims);
  settings.log?.('in process:');
  const rows = await runInProcess({ ...settings, fixtures, claims, forged });
  let memory: CacheMemoryRow[] = [];
  const hs = fixtures.find((f) => f.alg === 'HS256');
  if (settings.memory && hs) memory = await measureCacheMemory(hs, claims);
  return { rows, memory, fixtures };
}

// One algorithm is enough: the hook's cost does not depend on it. RS256 when it is in the run
// (as over HTTP), else the first; the in-process fixture when there is one.
async function revocationPart(settings: BenchSettings, fixtures: readonly Fixture[]) {
  const claims = IN_PROCESS_CLAIMS;
  const alg = settings.algorithms.includes('RS256') ? 'RS256' : settings.algorithms[0]!;
  const fixture = fixtures.find((f) => f.alg === alg) ?? (await createFixture(alg, claims, 1)); // tokens[0] is revoked
  const forged = await forgeToken(fixture, claims);
  return runRevocation({ ...settings, fixture, claims, forged });
}

async function runtimesPart(settings: BenchSettings, known: readonly Fixture[]) {
  const claims = IN_PROCESS_CLAIMS;
  const fixtures: Fixture[] = [];
  const count = settings.runtimeTokens;
  for (const alg of settings.algorithms) {
    const fixture = known.find((f) => f.alg === alg && f.tokens.length >= count);
    if (!fixture) settings.log?.(`signing ${count} ${alg} tokens`);
    const signed = fixture ?? (await createFixture(alg, claims, count));
    fixtures.push({ ...signed, tokens: signed.tokens.slice(0, count) });
  }
  return runRuntimes({
    ...settings,
    fixtures,
    claims,
    forged: await forgedTokens(fixtures, claims),
    cacheEntries: count,
    warmupMs: settings.runtimeWarmupMs,
    durationMs: settings.runtimeDurationMs,
    rounds: settings.runtimeRounds,
    source: settings.source ?? false,
  });
}

async function httpPart(settings: BenchSettings): Promise<HttpRow[]> {
  const jwks = await startJwksServer();
  try {
    const claims = { issuer: jwks.issuer, audience: 'bench-api' };
    settings.log?.(`signing ${settings.distinctTokens} RS256 tokens for HTTP`);
    const fixture = await createFixture('RS256', claims, settings.distinctTokens);
    jwks.publish([fixture.publicJwk!]);
    const forged = await forgeToken(fixture, claims);
    settings.log?.('http:');
    return await runHttp({
      ...settings,
      warmupSec: settings.httpWarmupSec,
      durationSec: settings.httpDurationSec,
      rounds: settings.httpRounds,
      jwks,
      audience: claims.audience,
      one: fixture.one,
      tokens: fixture.tokens,
      forged,
    });
  } finally {
    await jwks.close();
  }
}

/**
 * Run the benchmark: in-process verifiers, cache memory, the revocation check on Redis, the
 * in-process suite on each runtime, then the HTTP servers; check the speed targets against the numbers.
 *
 * @example
 * const results = await runBench(settingsFor(false)); console.log(renderMarkdown(results));
 */
export async function runBench(settings: BenchSettings): Promise<BenchResults> {
  const loadAtStart = loadavg()[0]!;
  let inProcess: InProcessRow[] = [];
  let cacheMemory: CacheMemoryRow[] = [];
  let fixtures: Fixture[] = [];
  if (settings.inProcess)
    ({ rows: inProcess, memory: cacheMemory, fixtures } = await inProcessPart(settings));
  const revocation = settings.revocation ? await revocationPart(settings, fixtures) : null;
  const runtimes: RuntimeResult[] =
    settings.runtimes.length > 0 ? await runtimesPart(settings, fixtures) : [];
  const http = settings.http ? await httpPart(settings) : [];
  const { log: _log, ...recorded } = settings;
  return {
    machine: describeMachine(settings.serverCpu !== undefined, loadAtStart),
    settings: recorded,
    inProcess,
    cacheMemory,
    revocation,
    runtimes,
    http,
    targets: checkTargets(inProcess, http, cacheMemory, runtimes),
  };
}
