import type { RedisStores } from '@tokengate/redis';
import {
  curlCommands,
  type ExampleDeps,
  ROUTES,
  type RunningApi,
  startDemoIssuer,
} from '@tokengate-examples/shared';
import { startDpopIssuer } from './dpop-issuer.js';
import { DEMO_API_ORIGIN, dpopSteps } from './dpop-steps.js';
import type { Framework } from './frameworks.js';
import { firstHalf, secondHalf } from './steps.js';
import { allExpected, type FrameworkRun, renderTable } from './table.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the output goes. Default `console.log`. */
  log?: (line: string) => void;
  /** The APIs to walk through, in table order (`FRAMEWORKS` for all of them). */
  frameworks: readonly Framework[];
  /** `serveDemo` only: stop when this settles. Default: on SIGINT or SIGTERM. */
  until?: Promise<unknown>;
  /**
   * Run on shared state (`createRedisStores()` of `@tokengate/redis`), each API as two
   * instances: the walk logs in on the first and refreshes, reuses and proves on the second.
   */
  shared?: SharedState;
}

/** The stores the instances share, and where they live (for the log). */
export interface SharedState {
  where: string;
  stores: RedisStores;
}

const signalled = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

// The demo's access tokens live 6 s and the APIs allow no clock skew, so the "expired" step
// waits once, for all frameworks together (up to 6 s, less the time the first steps took).
// 6 s leaves the first steps (logins, /me, /admin on four APIs) room on a loaded CI machine:
// a token that expired before its "GET /me" step would fail that step.
const ACCESS_TOKEN_TTL = 6;

const meCurl = (url: string) => `curl -s ${url}${ROUTES.me} -H "authorization: Bearer $ACCESS"`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

// The APIs accept Bearer tokens and DPoP-bound ones (RFC 9449 §7.1), and refuse a bound token
// sent as Bearer (§7.2). No nonces: every request stands alone.
// With shared state, proofs are remembered where every instance sees them (RFC 9449 §11.1).
const withDpop = (deps: ExampleDeps, shared: SharedState | undefined): ExampleDeps => ({
  ...deps,
  verifier: {
    ...deps.verifier,
    dpop: {
      mode: 'allowed',
      origin: DEMO_API_ORIGIN,
      ...(shared ? { replayStore: shared.stores.replay } : {}),
    },
  },
});

async function startAll(
  frameworks: readonly Framework[],
  port: (f: Framework) => number,
  issuerPort: number,
  ttl: number | string,
  shared?: SharedState,
) {
  const issuer = await startDemoIssuer({
    port: issuerPort,
    accessTokenTtl: ttl,
    clockTolerance: ttl === ACCESS_TOKEN_TTL ? 0 : 5,
    ...(shared
      ? {
          shared: {
            refreshTokens: shared.stores.refreshTokens,
            verifier: {
              isRevoked: shared.stores.revocations.isRevoked,
              jwks: { store: shared.stores.jwksCache },
            },
          },
        }
      : {}),
  });
  const apis: { framework: Framework; api: RunningApi; second?: RunningApi }[] = [];
  const close = async () => {
    await Promise.allSettled(apis.flatMap(({ api, second }) => [api.close(), second?.close()]));
    await issuer.close();
  };
  try {
    const deps = withDpop(issuer.deps, shared);
    for (const framework of frameworks) {
      const api = await framework.start(deps, { port: port(framework) });
      apis.push({ framework, api });
      // The second instance: its own issuer and verifier objects, the state only in Redis.
      if (shared)
        apis.at(-1)!.second = await framework.start(withDpop(await issuer.another(), shared), {
          port: 0,
        });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { issuer, apis, close };
}

/**
 * Start the issuer and the example APIs on 127.0.0.1 (free ports), walk the scripted client
 * through each, print the table, stop everything. Resolves `true` when every step was as
 * expected.
 *
 * @example
 * process.exitCode = (await runDemo({ frameworks: FRAMEWORKS })) ? 0 : 1;
 */
export async function runDemo(options: DemoOptions): Promise<boolean> {
  const log = options.log ?? console.log;
  const { issuer, apis, close } = await startAll(
    options.frameworks,
    () => 0,
    0,
    ACCESS_TOKEN_TTL,
    options.shared,
  );
  const dpopIssuer = await startDpopIssuer(issuer.deps.service).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  try {
    log(`issuer   ${issuer.url}  (JWKS ${issuer.deps.verifier.jwksUri})`);
    log(`DPoP     ${dpopIssuer.tokenUrl}  (same keys; APIs at ${DEMO_API_ORIGIN} for DPoP proofs)`);
    for (const { framework, api, second } of apis) {
      log(
        `${framework.name.padEnd(8)} ${api.url}${second ? `  + ${second.url} (second instance)` : ''}`,
      );
    }
    if (options.shared) {
      log(`shared   ${options.shared.where}: login on the first instance, the rest on the second`);
    }
    const first = await Promise.all(apis.map(({ api }) => firstHalf(api.url)));
    const expiresAt = Math.max(...first.map((f) => f.expiresAt));
    log(
      `\nwaiting ${((expiresAt - Date.now()) / 1000).toFixed(1)} s for the access tokens to expire…\n`,
    );
    await sleep(expiresAt - Date.now() + 50);
    const runs: FrameworkRun[] = await Promise.all(
      apis.map(async ({ framework, api, second }, i) => {
        const { results, pair } = first[i]!;
        // On two instances: refresh on the second, and replay there the first one's proof.
        const other = second ?? api;
        const rest = pair ? await secondHalf(other.url, pair) : [];
        const dpop = await dpopSteps(api.url, dpopIssuer.tokenUrl, other.url);
        return { framework: framework.name, results: [...results, ...rest, ...dpop] };
      }),
    );
    log(renderTable(runs));
    const ok = allExpected(runs);
    const count = runs.reduce((n, r) => n + r.results.length, 0);
    log(ok ? `\nAll ${count} steps as expected.` : '\nSome steps were NOT as expected (✗).');
    return ok;
  } finally {
    await dpopIssuer.close();
    await close();
  }
}

/**
 * `--serve`: start the issuer (port `DEMO_PORT`, default 3000) and the APIs (3001…) with
 * 15-minute access tokens, print curl commands, and keep running until SIGINT/SIGTERM.
 *
 * @example
 * await serveDemo(3000, { frameworks: FRAMEWORKS });
 */
export async function serveDemo(basePort: number, options: DemoOptions): Promise<void> {
  const log = options.log ?? console.log;
  const { issuer, apis, close } = await startAll(
    options.frameworks,
    (f) => basePort + (f.port - 3000),
    basePort,
    '15m',
    options.shared,
  );
  log(`issuer   ${issuer.url}  (POST /login, POST /refresh, GET /.well-known/jwks.json)`);
  for (const { framework, api } of apis) log(`${framework.name.padEnd(8)} ${api.url}`);
  log('\nOne issuer signs for all APIs: a token from any /login works on every API.\n');
  log(curlCommands(apis[0]?.api.url ?? issuer.url));
  log('\n# the same token on every API');
  for (const { api } of apis) log(meCurl(api.url));
  log('\nPress Ctrl+C to stop.');
  await (options.until ?? signalled()).catch(() => {});
  await close();
  log('Stopped.');
}
