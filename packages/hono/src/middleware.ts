import type { AuthInfo, OptionalMode, Verifier, VerifierOptions } from '@tokengate/core';
import { createVerifier, isPromiseLike } from '@tokengate/core';
import type { Context, Env, MiddlewareHandler, Next } from 'hono';
import type { OptionalTokengateEnv, TokengateEnv } from './env.js';
import { rethrow, toThrown } from './exception.js';
import { toTokenRequest } from './request.js';
import { VerifierCache } from './verifier-cache.js';

/**
 * Verifier options computed per request, e.g. from Workers bindings in `c.env`. Verifiers are
 * cached per distinct configuration, so the JWKS cache survives across requests.
 */
export type VerifierOptionsFactory<E extends Env = Env> = (
  c: Context<E>,
) => VerifierOptions | Promise<VerifierOptions>;

/** Where `jwtAuth` gets its verifier: options, a prebuilt (shared) verifier, or a factory. */
export type JwtAuthSource<E extends Env = Env> =
  | VerifierOptions
  | Verifier
  | VerifierOptionsFactory<E>;

/** Options of the Hono adapter itself (the verification policy lives in `VerifierOptions`). */
export interface JwtAuthOptions<E extends Env = Env> {
  /** Optional authentication for this middleware (`false`: required). Default: the verifier's mode. */
  optional?: OptionalMode | false;
  /**
   * Factory form only: the cache key of a request's configuration (e.g. `(c) => c.env.TENANT`).
   * When set, the factory runs only on a cache miss. Default: a stable serialization of the
   * options the factory returns.
   */
  cacheKey?: (c: Context<E>) => string;
  /** Factory form only: how many distinct verifiers to keep (LRU). Count; default 16. */
  maxVerifiers?: number;
}

const ADAPTER_KEYS = new Set(['optional', 'cacheKey', 'maxVerifiers']);
// The verifier of the last jwtAuth a request went through, kept on the Context under a
// module-private symbol: out of `c.var`, and without a WeakMap entry per request (issue 10).
const VERIFIER = Symbol('tokengate.verifier');
type WithVerifier = Context & { [VERIFIER]?: Verifier };

/** The verifier `jwtAuth` used for this request, for challenge parameters in later checks. */
export function verifierOf(c: Context): Verifier | undefined {
  return (c as WithVerifier)[VERIFIER];
}

function isVerifier(value: unknown): value is Verifier {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Verifier).authenticate === 'function' &&
    typeof (value as Verifier).prepareError === 'function'
  );
}

function proceed(c: Context, next: Next, auth: AuthInfo | null): Promise<void> {
  c.set('auth', auth);
  return next();
}

function checkAdapterOptions<E extends Env>(options: JwtAuthOptions<E>): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('jwtAuth: the second argument must be an options object');
  }
  for (const key of Object.keys(options)) {
    if (!ADAPTER_KEYS.has(key)) throw new TypeError(`jwtAuth: unknown option "${key}"`);
  }
  const { optional, cacheKey, maxVerifiers } = options;
  if (
    optional !== undefined &&
    optional !== false &&
    optional !== 'allow-missing' &&
    optional !== 'allow-invalid'
  ) {
    throw new TypeError('jwtAuth: "optional" must be "allow-missing", "allow-invalid" or false');
  }
  if (cacheKey !== undefined && typeof cacheKey !== 'function') {
    throw new TypeError('jwtAuth: "cacheKey" must be a function (c) => string');
  }
  if (maxVerifiers !== undefined && !(Number.isInteger(maxVerifiers) && maxVerifiers > 0)) {
    throw new TypeError('jwtAuth: "maxVerifiers" must be a positive integer');
  }
}

function resolver<E extends Env>(
  source: JwtAuthSource<E>,
  options: JwtAuthOptions<E>,
): (c: Context<E>) => Verifier | Promise<Verifier> {
  if (isVerifier(source)) return () => source;
  if (typeof source === 'function') {
    const cache = new VerifierCache(options.maxVerifiers ?? 16);
    const { cacheKey } = options;
    // Synchronous unless the factory returns a promise (issue 10): a failure here is thrown,
    // and jwtAuth turns it into the same rejection an async function would have returned.
    return (c) => {
      const key = cacheKey?.(c);
      if (key !== undefined && typeof key !== 'string') {
        throw new TypeError('jwtAuth: "cacheKey" must return a string');
      }
      const hit = key === undefined ? undefined : cache.peek(key);
      if (hit) return hit;
      const config = source(c);
      return isPromiseLike(config)
        ? Promise.resolve(config).then((o) => cache.get(o, key))
        : cache.get(config, key);
    };
  }
  if (typeof source !== 'object' || source === null) {
    throw new TypeError('jwtAuth: expected verifier options, a verifier or an options factory');
  }
  const verifier = createVerifier(source);
  return () => verifier;
}

/**
 * Hono middleware that verifies the bearer token and sets `c.var.auth`. Failures are thrown
 * as `HTTPException` (status, `WWW-Authenticate`, JSON body; `cause` is the core error).
 * Options are checked here, once: misuse throws `TypeError`.
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
  checkAdapterOptions(options);
  const getVerifier = resolver(source, options);
  const call = options.optional === undefined ? undefined : { optional: options.optional };
  // The per-request path (issue 10): no async function, and no promise at all when the
  // verifier answers synchronously (keys in memory or a cache hit); then `next()` is called
  // in this same turn and its promise is the middleware's own.
  function run(verifier: Verifier, c: Context, next: Next): Promise<void> {
    (c as WithVerifier)[VERIFIER] = verifier;
    let auth: ReturnType<Verifier['authenticateNow']>;
    try {
      // A hand-made verifier (e.g. a test double) may only have `authenticate`.
      if (typeof verifier.authenticateNow !== 'function') {
        return verifier
          .authenticate(toTokenRequest(c), call)
          .then((a) => proceed(c, next, a), rethrow);
      }
      auth = verifier.authenticateNow(toTokenRequest(c), call);
    } catch (error) {
      return Promise.reject(toThrown(error));
    }
    // Any thenable is pending: a foreign promise is awaited, never taken for claims.
    if (isPromiseLike(auth)) return Promise.resolve(auth).then((a) => proceed(c, next, a), rethrow);
    c.set('auth', auth);
    return next();
  }
  return function jwtAuth(c, next) {
    let verifier: Verifier | Promise<Verifier>;
    try {
      verifier = getVerifier(c as Context<E>);
    } catch (error) {
      return Promise.reject(toThrown(error));
    }
    if (verifier instanceof Promise) return verifier.then((v) => run(v, c, next), rethrow);
    return run(verifier, c, next);
  };
}
