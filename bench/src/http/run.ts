import { decodeJwt } from 'jose';
import type { TokenMode } from '../inproc/run.js';
import type { JwksServer } from './jwks-server.js';
import { type LoadResult, runLoad } from './load.js';
import { type RunningServer, startServer } from './spawn.js';

/** One HTTP result; numbers are null when the case failed its correctness check (see `note`). */
export interface HttpRow {
  framework: string;
  server: string;
  mode: TokenMode;
  requestsPerSec: number | null;
  /** requests/s over the bare server of the same framework and mode, in this run. */
  ratioToBare: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  peakRssBytes: number | null;
  /** JWK Set fetches at the JWKS server during the timed run. */
  jwksFetches: number | null;
  /**
   * Server CPU time per request (user + system, µs), the least of the timed runs: the server's
   * own cost, unlike req/s untouched by how busy the load generator's CPU is. Null without /proc.
   */
  serverCpuUsPerRequest: number | null;
  /** req/s of each timed run, in round order (the rounds interleave the servers of a group). */
  roundsRequestsPerSec: number[];
  /**
   * The median over the rounds of this server's req/s over the bare server's in the same round:
   * a slow spell of the machine hits both sides of each pair, unlike the best-of ratio.
   */
  pairedRatioToBare: number | null;
  non2xx: number;
  errors: number;
  note?: string;
}

/** What to run over HTTP. */
export interface HttpPlan {
  /** `<framework>/<variant>`; the bare server of each framework must be among them for ratios. */
  servers: readonly string[];
  modes: readonly TokenMode[];
  jwks: JwksServer;
  audience: string;
  /** RS256 tokens signed by the key the JWKS server publishes; `one` is tokens[0] of mode "one". */
  one: string;
  tokens: readonly string[];
  /** Valid claims, right `kid`, wrong key. */
  forged: string;
  warmupSec: number;
  /** Seconds of one timed run. */
  durationSec: number;
  /** Timed runs per case, in the same process; the best counts. Default 1. */
  rounds?: number;
  connections: number;
  /** CPU for the server processes (taskset); undefined: no pinning. */
  serverCpu?: number;
  /** Servers load workspace packages from source (else from their built `dist`). */
  source?: boolean;
  log?: (line: string) => void;
}

async function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text() };
}

/** 401 without a token and with a forged one, 200 and the right `sub` with a valid one. */
async function checkServer(server: RunningServer, plan: HttpPlan, bare: boolean) {
  const valid = await get(server.url, plan.one);
  const expected = bare ? 'anonymous' : decodeJwt(plan.one).sub;
  if (valid.status !== 200) return `valid token answered ${valid.status}`;
  if (JSON.parse(valid.body).sub !== expected) return `valid token: wrong body ${valid.body}`;
  if (bare) return undefined;
  const missing = await get(server.url);
  if (missing.status !== 401) return `no token answered ${missing.status}`;
  const forged = await get(server.url, plan.forged);
  if (forged.status !== 401) return `forged token answered ${forged.status}`;
  return undefined;
}

/** A started, correct server of a group, and what its timed runs measured so far. */
interface Live {
  row: HttpRow;
  server: RunningServer;
  results: LoadResult[];
  /** req/s per round, NaN where a round failed (so rounds of a group stay aligned). */
  rounds: number[];
  /** Server CPU µs per request of each timed run (where /proc tells). */
  cpu: number[];
  fetches: number;
  failure?: string;
}

function emptyRow(name: string, mode: TokenMode): HttpRow {
  const [framework = '', server = ''] = name.split('/');
  return {
    ...{ framework, server, mode, requestsPerSec: null, ratioToBare: null },
    ...{ p50Ms: null, p99Ms: null, peakRssBytes: null, jwksFetches: null, non2xx: 0, errors: 0 },
    ...{ roundsRequestsPerSec: [], pairedRatioToBare: null },
    serverCpuUsPerRequest: null,
  };
}

/** Start one server in a fresh process and check it; a failure comes back as a finished row. */
async function startChecked(
  name: string,
  mode: TokenMode,
  plan: HttpPlan,
): Promise<Live | HttpRow> {
  const row = emptyRow(name, mode);
  const env = {
    BENCH_SERVER: name,
    BENCH_JWKS_URI: plan.jwks.jwksUri,
    BENCH_ISSUER: plan.jwks.issuer,
    BENCH_AUDIENCE: plan.audience,
    // Distinct mode: our verified-token cache sized to the working set (all tokens fit).
    ...(mode === 'distinct' ? { BENCH_CACHE_ENTRIES: String(plan.tokens.length) } : {}),
  };
  let server: RunningServer;
  try {
    server = await startServer({ env, cpu: plan.serverCpu, source: plan.source });
  } catch (error) {
    return { ...row, note: `did not start: ${(error as Error).message}` };
  }
  let problem: string | undefined;
  try {
    problem = await checkServer(server, plan, row.server === 'bare' || row.server === 'noop');
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem === undefined) return { row, server, results: [], rounds: [], cpu: [], fetches: 0 };
  await server.stop();
  return { ...row, note: `correctness: ${problem}` };
}

function finish(live: Live): HttpRow {
  const { row, results } = live;
  if (live.failure || results.length === 0) return { ...row, note: `failed: ${live.failure}` };
  const best = results.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
  // Failures and fetches count over every timed run, not just the best one.
  const non2xx = results.reduce((sum, r) => sum + r.non2xx, 0);
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  return {
    ...row,
    ...{ requestsPerSec: best.requestsPerSec, p50Ms: best.p50Ms, p99Ms: best.p99Ms },
    ...{ peakRssBytes: live.server.peakRssBytes(), jwksFetches: live.fetches, non2xx, errors },
    serverCpuUsPerRequest: live.cpu.length > 0 ? Math.min(...live.cpu) : null,
    roundsRequestsPerSec: live.rounds,
    ...(non2xx + errors > 0 ? { note: `${non2xx} non-2xx, ${errors} errors` } : {}),
  };
}

// A server that fetches the JWKS per request (hono/jwk) is still fetching for a moment after its
// load stops: wait until the counter is quiet so those fetches are not charged to the next server.
async function settled(jwks: JwksServer): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const before = jwks.fetches();
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (jwks.fetches() === before) return;
  }
}

const isLive = (entry: Live | HttpRow): entry is Live => 'server' in entry && 'results' in entry;

/**
 * One framework in one token mode: every server started fresh and checked, warmed up, then the
 * timed runs interleaved (round 1 of each server, then round 2, ...) so that a burst of other
 * work on the machine hits all of them alike and the ratio to bare stays fair.
 */
async function runGroup(names: readonly string[], mode: TokenMode, plan: HttpPlan) {
  const entries: (Live | HttpRow)[] = [];
  try {
    for (const name of names) entries.push(await startChecked(name, mode, plan));
    const live = entries.filter(isLive);
    const tokens = mode === 'one' ? [plan.one] : plan.tokens;
    const run = async (l: Live, durationSec: number) => {
      if (l.failure) return undefined;
      try {
        return await runLoad({
          url: l.server.url,
          tokens,
          connections: plan.connections,
          durationSec,
        });
      } catch (error) {
        l.failure = (error as Error).message;
        return undefined;
      }
    };
    if (plan.warmupSec > 0) for (const l of live) await run(l, plan.warmupSec);
    for (let round = 0; round < (plan.rounds ?? 1); round++) {
      // Each round starts one server further on, so no server always runs first or last.
      const order = live.map((_, i) => live[(i + round) % live.length] as Live);
      for (const l of order) {
        await settled(plan.jwks);
        plan.jwks.resetFetches();
        const cpuBefore = l.server.cpuTimeMs();
        const result = await run(l, plan.durationSec);
        const cpuAfter = l.server.cpuTimeMs();
        if (result && result.total > 0 && cpuBefore !== null && cpuAfter !== null)
          l.cpu.push(((cpuAfter - cpuBefore) * 1000) / result.total);
        await settled(plan.jwks); // requests still in flight when the load stopped
        l.fetches += plan.jwks.fetches();
        if (result) l.results.push(result);
        l.rounds.push(result ? result.requestsPerSec : Number.NaN);
      }
    }
    return entries.map((entry) => (isLive(entry) ? finish(entry) : entry));
  } finally {
    await Promise.all(entries.filter(isLive).map((l) => l.server.stop()));
  }
}

/** The median of the per-round ratios of two servers of one group; null without a pair. */
export function pairedRatio(mine: readonly number[], bare: readonly number[]): number | null {
  const ratios = mine
    .map((rate, round) => rate / (bare[round] ?? Number.NaN))
    .filter((ratio) => Number.isFinite(ratio))
    .sort((a, b) => a - b);
  if (ratios.length === 0) return null;
  const middle = ratios.length >> 1;
  return ratios.length % 2 === 1
    ? (ratios[middle] as number)
    : ((ratios[middle - 1] as number) + (ratios[middle] as number)) / 2;
}

/** Fill `ratioToBare` and `pairedRatioToBare` from the bare row of the same framework and mode. */
export function addRatios(rows: HttpRow[]): HttpRow[] {
  return rows.map((row) => {
    const bare = rows.find(
      (r) => r.framework === row.framework && r.mode === row.mode && r.server === 'bare',
    );
    const ratio =
      bare?.requestsPerSec && row.requestsPerSec !== null
        ? row.requestsPerSec / bare.requestsPerSec
        : null;
    const paired =
      bare && row.requestsPerSec !== null
        ? pairedRatio(row.roundsRequestsPerSec, bare.roundsRequestsPerSec)
        : null;
    return { ...row, ratioToBare: ratio, pairedRatioToBare: paired };
  });
}

/**
 * Every server × token mode, each server in a fresh process: correctness first, then an
 * untimed warm-up, then `rounds` timed autocannon runs interleaved across the servers of the
 * same framework (the best run counts), with the JWKS fetch counter reset around each.
 *
 * @example
 * const rows = await runHttp({ servers: ['express/bare', 'express/tokengate'], modes: ['one'], ... });
 */
export async function runHttp(plan: HttpPlan): Promise<HttpRow[]> {
  const frameworks = [...new Set(plan.servers.map((name) => name.split('/')[0]))];
  const rows: HttpRow[] = [];
  for (const framework of frameworks) {
    const names = plan.servers.filter((name) => name.split('/')[0] === framework);
    for (const mode of plan.modes) {
      for (const row of await runGroup(names, mode, plan)) {
        rows.push(row);
        const rate = row.requestsPerSec === null ? '-' : Math.round(row.requestsPerSec);
        plan.log?.(
          `  ${framework}/${row.server} ${mode}: ${rate} req/s${row.note ? ` (${row.note})` : ''}`,
        );
      }
    }
  }
  return addRatios(rows);
}
