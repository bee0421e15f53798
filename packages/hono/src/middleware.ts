import {
  createVerifier,
  type OptionalMode,
  type Verifier,
  type VerifierOptions,
} from '@tokengate/core';
import {
  compileRouteRules,
  createGate,
  type Gate,
  isVerifier,
  type RoutePolicy,
} from '@tokengate/core/adapter';
import type { Context, Env, MiddlewareHandler, Next } from 'hono';
import type { OptionalTokengateEnv, TokengateEnv } from './env.js';
import { HonoExchange, setGate } from './exchange.js';
import { factoryGates, type VerifierOptionsFactory } from './gate-cache.js';

/**
 * Where `jwtAuth` gets its verifier: options, a prebuilt (shared) verifier, or a factory.
 *
 * @example
 * const source: JwtAuthSource = { secret: env.JWT_SECRET, algorithms: ['HS256'] };
 */
export type JwtAuthSource<E extends Env = Env> =
  | VerifierOptions
  | Verifier<unknown>
  | VerifierOptionsFactory<E>;

/**
 * Options of the Hono adapter itself: the route's policy (optional mode, `scopes`,
 * `scopeMode`, `claims`, as `requireScopes()` / `requireClaims()` check them) and the
 * factory's cache. The verification policy lives in `VerifierOptions`. Scopes given here are
 * also named in the route's 401 challenges when the verifier has the `resource` option.
 *
 * @example
 * jwtAuth((c) => tenantOptions(c.env), { cacheKey: (c) => c.env.TENANT, maxVerifiers: 32 });
 * jwtAuth(verifier, { scopes: 'read:things' });
 */
export interface JwtAuthOptions<E extends Env = Env> extends RoutePolicy {
  /** Optional authentication for this middleware (`false`: required). Default: the verifier's mode. */
  optional?: OptionalMode | false;
  /**
   * Factory form only: the cache key of a request's configuration (e.g. `(c) => c.env.TENANT`);
   * the factory then runs only when the key is not cached. Default: a stable serialization of
   * the options the factory returns, so the factory runs on every request.
   */
  cacheKey?: (c: Context<E>) => string;
  /** Factory form only: how many distinct configurations to keep (LRU). Count; default 16. */
  maxVerifiers?: number;
}

const ADAPTER_KEYS: ReadonlySet<string> = new Set([
  'optional',
  'scopes',
  'scopeMode',
  'claims',
  'cacheKey',
  'maxVerifiers',
]);

function gateSource<E extends Env>(
  source: JwtAuthSource<E>,
  options: JwtAuthOptions<E>,
): (c: Context<E>) => Gate | Promise<Gate> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('jwtAuth(): the second argument must be an options object');
  for (const key of Object.keys(options))
    if (!ADAPTER_KEYS.has(key)) throw new TypeError(`jwtAuth(): unknown option "${key}"`);
  const { cacheKey, maxVerifiers = 16 } = options;
  if (cacheKey !== undefined && typeof cacheKey !== 'function')
    throw new TypeError('jwtAuth(): "cacheKey" must be a function (c) => string');
  if (!(Number.isInteger(maxVerifiers) && maxVerifiers > 0))
    throw new TypeError('jwtAuth(): "maxVerifiers" must be a positive integer');
  if (typeof source === 'function') return factoryGates(source, cacheKey, maxVerifiers);
  if (typeof source !== 'object' || source === null)
    throw new TypeError('jwtAuth(): expected verifier options, a verifier or an options factory');
  const gate = createGate(isVerifier(source) ? source : createVerifier(source as VerifierOptions));
  return () => gate;
}

/**
 * Hono middleware that verifies the bearer token and sets `c.var.auth` (`undefined` when
 * optional auth lets a request through without one). Refusals are thrown as `HTTPException`
 * (status, `WWW-Authenticate`, JSON body; `cause` is the core error). Options are checked
 * here, once: misuse throws `TypeError`.
 *
 * @example
 * app.use('/api/*', jwtAuth({ jwksUri: 'https://id.example.com/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] }));
 * app.get('/api/me', (c) => c.json({ sub: c.var.auth?.claims.sub }));
 */
export function jwtAuth<E extends Env = Env>(
  source: JwtAuthSource<E>,
  options: JwtAuthOptions<E> & { optional: OptionalMode },
): MiddlewareHandler<E & OptionalTokengateEnv>;
export function jwtAuth<E extends Env = Env>(
  source: VerifierOptions & { optional: OptionalMode },
  options?: JwtAuthOptions<E>,
): MiddlewareHandler<E & OptionalTokengateEnv>;
export function jwtAuth<E extends Env = Env>(
  source: JwtAuthSource<E>,
  options?: JwtAuthOptions<E>,
): MiddlewareHandler<E & TokengateEnv>;
export function jwtAuth<E extends Env = Env>(
  source: JwtAuthSource<E>,
  options: JwtAuthOptions<E> = {},
): MiddlewareHandler {
  const gateFor = gateSource(source, options);
  const { optional, scopes, scopeMode, claims } = options;
  const rules = compileRouteRules({ optional, scopes, scopeMode, claims }, 'jwtAuth()');
  // Returns what the request protocol returns: `next()`'s own promise when the answer needed
  // no promise (keys in memory, a cached token), a refusal thrown before returning.
  function run(gate: Gate, c: Context, next: Next): Promise<void> {
    setGate(c, gate);
    return gate.authenticate(new HonoExchange(c, next), rules) as Promise<void>;
  }
  return function jwtAuth(c, next) {
    const gate = gateFor(c as Context<E>);
    return gate instanceof Promise ? gate.then((g) => run(g, c, next)) : run(gate, c, next);
  };
}
