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

async function runCase(name: string, mode: TokenMode, plan: HttpPlan): Promise<HttpRow> {
  const [framework = '', variant = ''] = name.split('/');
  const row: HttpRow = {
    ...{ framework, server: variant, mode, requestsPerSec: null, ratioToBare: null },
    ...{ p50Ms: null, p99Ms: null, peakRssBytes: null, jwksFetches: null, non2xx: 0, errors: 0 },
  };
  const env = {
    BENCH_SERVER: name,
    BENCH_JWKS_URI: plan.jwks.jwksUri,
    BENCH_ISSUER: plan.jwks.issuer,
    BENCH_AUDIENCE: plan.audience,
  };
  let server: RunningServer;
  try {
    server = await startServer({ env, cpu: plan.serverCpu, source: plan.source });
  } catch (error) {
    return { ...row, note: `did not start: ${(error as Error).message}` };
  }
  try {
    const problem = await checkServer(server, plan, variant === 'bare');
    if (problem) return { ...row, note: `correctness: ${problem}` };
    const tokens = mode === 'one' ? [plan.one] : plan.tokens;
    const load = { url: server.url, tokens, connections: plan.connections };
    if (plan.warmupSec > 0) await runLoad({ ...load, durationSec: plan.warmupSec });
    plan.jwks.resetFetches();
    const results: LoadResult[] = [];
    for (let round = 0; round < (plan.rounds ?? 1); round++) {
      results.push(await runLoad({ ...load, durationSec: plan.durationSec }));
    }
    const best = results.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
    const { requestsPerSec, p50Ms, p99Ms } = best;
    // Failures and fetches count over every timed run, not just the best one.
    const non2xx = results.reduce((sum, r) => sum + r.non2xx, 0);
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    const jwksFetches = plan.jwks.fetches();
    const peakRssBytes = server.peakRssBytes();
    const note = non2xx + errors > 0 ? `${non2xx} non-2xx, ${errors} errors` : undefined;
    return {
      ...row,
      requestsPerSec,
      p50Ms,
      p99Ms,
      peakRssBytes,
      jwksFetches,
      non2xx,
      errors,
      note,
    };
  } catch (error) {
    return { ...row, note: `failed: ${(error as Error).message}` };
  } finally {
    await server.stop();
  }
}

/** Fill `ratioToBare` from the bare row of the same framework and mode. */
export function addRatios(rows: HttpRow[]): HttpRow[] {
  return rows.map((row) => {
    const bare = rows.find(
      (r) => r.framework === row.framework && r.mode === row.mode && r.server === 'bare',
    );
    const ratio =
      bare?.requestsPerSec && row.requestsPerSec !== null
        ? row.requestsPerSec / bare.requestsPerSec
        : null;
    return { ...row, ratioToBare: ratio };
  });
}

/**
 * Every server × token mode, each in a fresh process: correctness first, then an untimed
 * warm-up, then the timed autocannon runs (best of `rounds`) with the JWKS fetch counter reset.
 *
 * @example
 * const rows = await runHttp({ servers: ['express/bare', 'express/tokengate'], modes: ['one'], ... });
 */
export async function runHttp(plan: HttpPlan): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  for (const name of plan.servers) {
    for (const mode of plan.modes) {
      const row = await runCase(name, mode, plan);
      rows.push(row);
      const rate = row.requestsPerSec === null ? '-' : Math.round(row.requestsPerSec);
      plan.log?.(`  ${name} ${mode}: ${rate} req/s${row.note ? ` (${row.note})` : ''}`);
    }
  }
  return addRatios(rows);
}
