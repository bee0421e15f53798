// Which key source and policy a token is checked against: one source, or one per trusted
// issuer chosen by the token's unverified `iss` (from the allow-list only, before any fetch).
import { InvalidClaimError, isTokengateError, KeySetUnavailableError } from './errors.js';
import { createKeySource } from './keys/index.js';
import type { KeySource } from './keys/types.js';
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
}

const RESOLVED_MAX = 100;

function issuerRoute(
  config: IssuerConfig,
  options: VerifierOptions,
  base: Policy,
  where: string,
): Route {
  if (typeof config !== 'object' || config === null)
    throw new TypeError(`${where} must be an object`);
  checkKnownKeys(config, ISSUER_KEYS, ` in ${where}`);
  if (typeof config.issuer !== 'string' || !config.issuer)
    throw new TypeError(`"issuer" in ${where} must be a non-empty string`);
  const source = createKeySource(
    {
      ...config,
      algorithms: config.algorithms ?? options.algorithms,
      jwks: config.jwks ?? options.jwks,
    },
    ` in ${where}`,
  );
  const audience =
    config.audience === undefined
      ? base.audience
      : checkPolicy({ audience: config.audience }).audience;
  return { source, policy: { ...base, issuer: [config.issuer], audience } };
}

const untrusted = () => new InvalidClaimError('iss', 'The token issuer is not trusted');

function resolverRouter(
  resolve: (iss: string) => IssuerConfig | undefined | Promise<IssuerConfig | undefined>,
  options: VerifierOptions,
  base: Policy,
): Router {
  // Only found issuers are kept, so a flood of made-up `iss` values cannot evict them all
  // for long; the map is bounded either way.
  const resolved = new Map<string, Route>();
  return {
    algorithms: SUPPORTED_ALGORITHMS,
    async route(claims) {
      const iss = claims.iss;
      if (typeof iss !== 'string' || !iss) throw untrusted();
      const hit = resolved.get(iss);
      if (hit) return hit;
      let config: IssuerConfig | undefined;
      let route: Route;
      try {
        config = await resolve(iss);
        if (config === undefined || config === null) throw untrusted();
        if (config.issuer !== iss) throw untrusted();
        route = issuerRoute(config, options, base, 'the issuers resolver result');
      } catch (cause) {
        if (isTokengateError(cause)) throw cause;
        throw new KeySetUnavailableError('The token issuer could not be resolved', { cause });
      }
      if (resolved.size >= RESOLVED_MAX) resolved.delete(resolved.keys().next().value as string);
      resolved.set(iss, route);
      return route;
    },
  };
}

/**
 * Build the router from the verifier options: a single key source, a fixed `issuers`
 * allow-list, or an `issuers` resolver function (results cached, at most 100 issuers).
 *
 * @example
 * const router = createRouter(options, checkPolicy(options));
 * const { source, policy } = await router.route(unverifiedClaims);
 */
export function createRouter(options: VerifierOptions, base: Policy): Router {
  const { issuers } = options;
  if (issuers === undefined) {
    const source = createKeySource({ ...options, issuer: options.issuer });
    return { algorithms: source.algorithms, route: async () => ({ source, policy: base }) };
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
  const algorithms = [...new Set([...routes.values()].flatMap((r) => r.source.algorithms))];
  return {
    algorithms,
    async route(claims) {
      const route = typeof claims.iss === 'string' ? routes.get(claims.iss) : undefined;
      if (!route) throw untrusted();
      return route;
    },
  };
}
