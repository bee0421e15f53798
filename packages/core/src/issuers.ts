// Which key source and policy a token is checked against: one source, or one per trusted
// issuer chosen by the token's unverified `iss` (from the allow-list only, before any fetch).
import { InvalidClaimError, isTokengateError, KeySetUnavailableError } from './errors.js';
import { createKeySource, keySourceKind } from './keys/index.js';
import { SharedJwksState } from './keys/jwks-shared.js';
import type { KeySource, KeySourceHealth, VerifierHealth } from './keys/types.js';
import type { IssuerConfig, VerifierOptions } from './options.js';
import {
  checkKnownKeys,
  checkPolicy,
  ISSUER_KEYS,
  type Policy,
  SUPPORTED_ALGORITHMS,
} from './options-check.js';
import type { JWTClaims } from './types.js';

/**
 * The key source and policy one token is verified with.
 *
 * @example
 * const { source, policy }: Route = await router.route(claims);
 */
export interface Route {
  source: KeySource;
  policy: Policy;
}

/**
 * Picks the {@link Route} for a token's unverified claims.
 *
 * @example
 * const router: Router = createRouter(options, checkPolicy(options));
 */
export interface Router {
  /** Every algorithm any route may accept (checked before the route is chosen). */
  algorithms: readonly string[];
  route(claims: JWTClaims): Promise<Route>;
  /**
   * The same choice without a promise when nothing needs resolving (issue 10: the verifier's
   * fast path); `undefined` sends the caller to {@link Router.route}. Throws as `route` rejects.
   */
  routeNow(claims: JWTClaims): Route | undefined;
  /** Health of the remote key sources, by issuer. */
  health(): VerifierHealth;
}

const RANK = { empty: 0, stale: 1, fresh: 2 } as const;

/**
 * Collect the health of the remote sources among `routes` (by issuer).
 *
 * @example
 * const health = healthOf([['https://id.example/', route.source]]);
 */
export function healthOf(routes: Iterable<[string, KeySource]>): VerifierHealth {
  const sources: Record<string, KeySourceHealth> = {};
  let state: KeySourceHealth['state'] = 'fresh';
  for (const [issuer, source] of routes) {
    const health = source.health?.();
    if (!health) continue;
    sources[issuer] = health;
    if (RANK[health.state] < RANK[state]) state = health.state;
  }
  return { state, sources };
}

/** Default of `maxResolvedIssuers`. */
const RESOLVED_MAX = 100;

const isRemote = (kind: string) => kind === 'jwksUri' || kind === 'discovery';

function issuerRoute(
  config: IssuerConfig,
  options: VerifierOptions,
  base: Policy,
  where: string,
  shared?: SharedJwksState,
): Route {
  if (typeof config !== 'object' || config === null)
    throw new TypeError(`${where} must be an object`);
  checkKnownKeys(config, ISSUER_KEYS, ` in ${where}`);
  if (typeof config.issuer !== 'string' || !config.issuer)
    throw new TypeError(`"issuer" in ${where} must be a non-empty string`);
  const kind = keySourceKind(config, ` in ${where}`);
  // The top-level `jwks` tuning is the default of the remote issuers only.
  const jwks = config.jwks ?? (isRemote(kind) ? options.jwks : undefined);
  const source = createKeySource(
    { ...config, algorithms: config.algorithms ?? options.algorithms, jwks },
    ` in ${where}`,
    shared,
  );
  const audience =
    config.audience === undefined
      ? base.audience
      : checkPolicy({ audience: config.audience }).audience;
  return { source, policy: { ...base, issuer: [config.issuer], audience } };
}

const untrusted = () => new InvalidClaimError('iss', 'The token issuer is not trusted');

function resolvedMax(options: VerifierOptions): number {
  const max = options.maxResolvedIssuers ?? RESOLVED_MAX;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new TypeError('"maxResolvedIssuers" must be a positive integer');
  return max;
}

function resolverRouter(
  resolve: (iss: string) => IssuerConfig | undefined | Promise<IssuerConfig | undefined>,
  options: VerifierOptions,
  base: Policy,
): Router {
  const max = resolvedMax(options);
  // Only found issuers are kept, so a flood of made-up `iss` values cannot evict them; the
  // map is an LRU so busy tenants stay. An evicted tenant's re-created key source finds its
  // JWK Set and its refetch gate (cooldown, budget, negative cache) in `shared`, so cycling
  // tokens over more tenants than `max` cannot force a fetch per token.
  const resolved = new Map<string, Route>();
  const shared = new SharedJwksState(Math.max(1000, 4 * max));
  const routeNow = (claims: JWTClaims): Route | undefined => {
    const iss = claims.iss;
    if (typeof iss !== 'string' || !iss) throw untrusted();
    const hit = resolved.get(iss);
    if (hit) {
      resolved.delete(iss);
      resolved.set(iss, hit);
    }
    return hit;
  };
  return {
    algorithms: SUPPORTED_ALGORITHMS,
    health: () => healthOf([...resolved].map(([iss, route]) => [iss, route.source])),
    routeNow,
    async route(claims) {
      const hit = routeNow(claims);
      if (hit) return hit;
      const iss = claims.iss as string;
      let config: IssuerConfig | undefined;
      let route: Route;
      try {
        config = await resolve(iss);
        if (config === undefined || config === null) throw untrusted();
        if (config.issuer !== iss) throw untrusted();
        route = issuerRoute(config, options, base, 'the issuers resolver result', shared);
      } catch (cause) {
        if (isTokengateError(cause)) throw cause;
        throw new KeySetUnavailableError('The token issuer could not be resolved', { cause });
      }
      resolved.delete(iss); // a concurrent first request may have set it meanwhile
      resolved.set(iss, route);
      if (resolved.size > max) resolved.delete(resolved.keys().next().value as string);
      return route;
    },
  };
}

/**
 * Build the router from the verifier options: a single key source, a fixed `issuers`
 * allow-list, or an `issuers` resolver function (results kept in an LRU of
 * `maxResolvedIssuers`, default 100).
 *
 * @example
 * const router = createRouter(options, checkPolicy(options));
 * const { source, policy } = await router.route(unverifiedClaims);
 */
export function createRouter(options: VerifierOptions, base: Policy): Router {
  const { issuers } = options;
  if (options.maxResolvedIssuers !== undefined && typeof issuers !== 'function')
    throw new TypeError('"maxResolvedIssuers" only applies when "issuers" is a function');
  if (issuers === undefined) {
    const source = createKeySource({ ...options, issuer: options.issuer });
    const name = typeof options.issuer === 'string' ? options.issuer : 'default';
    const only: Route = { source, policy: base };
    return {
      algorithms: source.algorithms,
      routeNow: () => only,
      route: async () => only,
      health: () => healthOf([[name, source]]),
    };
  }
  for (const name of ['secret', 'keys', 'jwksUri', 'discovery', 'getKey', 'issuer'] as const)
    if (options[name] !== undefined)
      throw new TypeError(`"${name}" cannot be combined with "issuers"; set it per issuer`);
  if (typeof issuers === 'function') return resolverRouter(issuers, options, base);
  if (!Array.isArray(issuers) || issuers.length === 0)
    throw new TypeError('"issuers" must be a non-empty array of issuer configs or a function');
  const routes = new Map<string, Route>();
  issuers.forEach((config, i) => {
    const route = issuerRoute(config, options, base, `issuers[${i}]`);
    if (routes.has(config.issuer)) throw new TypeError(`"issuers" lists "${config.issuer}" twice`);
    routes.set(config.issuer, route);
  });
  if (options.jwks !== undefined && !issuers.some((c) => isRemote(keySourceKind(c))))
    throw new TypeError('"jwks" is set but no issuer uses "jwksUri" or "discovery"');
  const algorithms = [...new Set([...routes.values()].flatMap((r) => r.source.algorithms))];
  const fixed = (claims: JWTClaims): Route => {
    const route = typeof claims.iss === 'string' ? routes.get(claims.iss) : undefined;
    if (!route) throw untrusted();
    return route;
  };
  return {
    algorithms,
    health: () => healthOf([...routes].map(([iss, route]) => [iss, route.source])),
    routeNow: fixed,
    route: async (claims) => fixed(claims),
  };
}
