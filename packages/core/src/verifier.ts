import { createTokenCache, type TokenCache } from './cache.js';
import {
  InvalidTokenError,
  MissingTokenError,
  type TokengateError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { bearerCandidate, builtInToken, extractToken } from './extract.js';
import { freezeVerified } from './freeze.js';
import { createRouter, type Route } from './issuers.js';
import { mapJoseError } from './jose-errors.js';
import { createDecryptor } from './jwe.js';
import { joseSignatureVerifier } from './keys/signature.js';
import type { VerificationKey } from './keys/types.js';
import type { VerifierOptions } from './options.js';
import { checkPolicy, checkTopLevel } from './options-check.js';
import { checkCompact, HeaderMemo, isCompactJws, joseSegmentDecoder, parseJws } from './parse.js';
import {
  checkClaimsNow,
  checkIssuer,
  checkRevoked,
  checkTimeClaims,
  hasHooks,
  runHooks,
} from './policy.js';
import { publicOptions } from './public-options.js';
import { verifySignature } from './signature-step.js';
import type {
  AuthInfo,
  JWTClaims,
  OptionalMode,
  ProtectedHeader,
  RegisteredClaims,
  TokenRequest,
} from './types.js';
import type { AuthenticateOptions, Verifier, VerifyEngine } from './verifier-types.js';

export type { AuthenticateOptions, Verifier, VerifyEngine } from './verifier-types.js';

const joseEngine: VerifyEngine = { decoder: joseSegmentDecoder, signature: joseSignatureVerifier };

const nowSeconds = () => Date.now() / 1000;

/**
 * Build a verifier. Options are checked once here; misuse throws `TypeError` naming the
 * option. Defaults: `clockTolerance` 5 s, `requireExp` true, `maxTokenSize` 8192 characters;
 * algorithms HS256 for a secret, derived from static keys, the asymmetric set for a JWKS.
 *
 * @example
 * const verifier = createVerifier({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] });
 * const auth = await verifier.verify(token); // auth.claims.sub, auth.scopes
 */
export function createVerifier<C = RegisteredClaims>(options: VerifierOptions): Verifier<C> {
  return createVerifierWith<C>(joseEngine, options);
}

/**
 * {@link createVerifier} with another {@link VerifyEngine}. The `node` entry of
 * `@tokengate/core` uses it; applications normally never need it.
 *
 * @example
 * const verifier = createVerifierWith(engine, { jwksUri, issuer, audience: 'api' });
 */
export function createVerifierWith<C = RegisteredClaims>(
  engine: VerifyEngine,
  options: VerifierOptions,
): Verifier<C> {
  const { maxTokenSize } = checkTopLevel(options);
  const policy = checkPolicy(options);
  const router = createRouter(options, policy);
  const decrypt =
    options.decryption === undefined
      ? undefined
      : createDecryptor(options.decryption, maxTokenSize);
  const cache: TokenCache | undefined = options.cache
    ? createTokenCache(typeof options.cache === 'object' ? options.cache : {}, engine.digest)
    : undefined;
  const headers = new HeaderMemo();
  const challenge = { realm: options.realm, resourceMetadata: options.resourceMetadata };
  const extractOptions = { cookie: options.cookie, query: options.query, extract: options.extract };

  const prepareError = <E extends TokengateError>(error: E): E => {
    error.challengeOptions = { ...challenge };
    return error;
  };

  // The steps below return a value when nothing asynchronous was needed (keys in memory, a
  // synchronous signature step, no hooks) and a promise otherwise: on the fast path a token
  // costs no microtask turn until `verify` wraps the result (issue 10).
  type Step = AuthInfo<JWTClaims> | Promise<AuthInfo<JWTClaims>>;

  // `inner`: a JWE's decrypted payload, not yet through the syntax checks `verify` made.
  // `checked`: the token passed checkCompact; otherwise only isCompactJws, and a parse failure
  // must report what checkCompact would have reported first (its verdict is the earlier one).
  function verifyJws(jws: string, inner: boolean, checked = true): Step {
    if (inner) checkCompact(jws, maxTokenSize, false);
    let parsed: ReturnType<typeof parseJws>;
    try {
      parsed = parseJws(jws, router.algorithms, engine.decoder, headers);
    } catch (error) {
      if (!checked) checkCompact(jws, maxTokenSize, false);
      throw error;
    }
    const { header, claims } = parsed;
    const route = router.routeNow(claims);
    if (route === undefined)
      return router.route(claims).then((found) => withRoute(jws, header, claims, found));
    return withRoute(jws, header, claims, route);
  }

  function withRoute(jws: string, header: ProtectedHeader, claims: JWTClaims, route: Route): Step {
    if (!route.source.algorithms.includes(header.alg as string))
      throw new UnsupportedAlgorithmError();
    // Checked before the key lookup so a forged `iss` never causes a JWKS fetch.
    checkIssuer(claims, route.policy.issuer);
    const keys = route.source.getKeyNow?.(header, claims);
    if (keys === undefined)
      return route.source
        .getKey(header, claims)
        .then((found) =>
          withKeys(jws, header, claims, route, Array.isArray(found) ? found : [found]),
        );
    return withKeys(jws, header, claims, route, keys);
  }

  function withKeys(
    jws: string,
    header: ProtectedHeader,
    claims: JWTClaims,
    route: Route,
    keys: readonly VerificationKey[],
  ): Step {
    const pending = verifySignature(engine.signature, jws, header.alg as string, keys);
    if (pending) return pending.then(() => verified(jws, header, claims, route));
    return verified(jws, header, claims, route);
  }

  function verified(jws: string, header: ProtectedHeader, claims: JWTClaims, route: Route): Step {
    checkClaimsNow(claims, header, route.policy, nowSeconds());
    // Frozen: the cache hands these same objects to every later request with this token.
    if (hasHooks(route.policy))
      return runHooks(claims, header, route.policy).then(() => freezeVerified(jws, header, claims));
    return freezeVerified(jws, header, claims);
  }

  // A cache hit: the signature was verified earlier; time claims and revocation are not.
  function fromHit(hit: AuthInfo<JWTClaims>): Step {
    const route = router.routeNow(hit.claims);
    if (route === undefined || route.policy.isRevoked)
      return fromCache(hit) as Promise<AuthInfo<JWTClaims>>;
    checkTimeClaims(hit.claims, route.policy, nowSeconds());
    return hit; // the cache hands out frozen results
  }

  // The cache around the fast path: synchronous when the cache key is (the Node entry).
  function cachedJws(token: string, store: TokenCache): Step {
    const hit = store.getNow ? store.getNow(token) : store.get(token);
    if (hit instanceof Promise)
      return verifySlow(token, false, false, hit) as Promise<AuthInfo<JWTClaims>>;
    if (hit) return fromHit(hit);
    const auth = verifyJws(token, false, false);
    if (auth instanceof Promise) return auth.then((a) => remember(store, token, a));
    return remember(store, token, auth);
  }

  function remember(store: TokenCache, token: string, auth: AuthInfo<JWTClaims>): Step {
    const pending = store.setNow ? store.setNow(token, auth) : store.set(token, auth);
    return pending ? pending.then(() => auth) : auth;
  }

  async function fromCache(
    found: AuthInfo<JWTClaims> | Promise<AuthInfo<JWTClaims> | undefined> | undefined,
  ): Promise<AuthInfo<JWTClaims> | undefined> {
    const hit = await found;
    if (!hit) return undefined;
    const route = await router.route(hit.claims);
    checkTimeClaims(hit.claims, route.policy, nowSeconds());
    await checkRevoked(hit.claims, hit.header, route.policy);
    return hit;
  }

  const fail = (error: unknown): never => {
    throw prepareError(mapJoseError(error));
  };

  // Awaited steps: a cache, a JWE, or a step that returned a promise.
  async function verifySlow(
    token: string,
    jwe: boolean,
    checked: boolean,
    hit?: Promise<AuthInfo<JWTClaims> | undefined>,
  ): Promise<AuthInfo<C>> {
    const cached = cache ? await fromCache(hit ?? cache.get(token)) : undefined;
    if (cached) return cached as AuthInfo<C>;
    const inner = jwe && decrypt !== undefined;
    const jws = inner && decrypt ? await decrypt(token) : token;
    const auth = await verifyJws(jws, inner, checked || inner);
    if (cache) await cache.set(token, auth);
    return auth as AuthInfo<C>;
  }

  // The whole verification: the result itself when nothing asynchronous was needed, else a
  // promise. Every failure is a prepared TokengateError, thrown or rejected.
  function verifyNow(this: unknown, token: string): AuthInfo<C> | Promise<AuthInfo<C>> {
    // A copy that replaced `verify` keeps its override (as authenticateNow below).
    if (this !== verifier && typeof this === 'object' && this !== null) {
      const own = (this as { verify?: unknown }).verify;
      if (typeof own === 'function' && own !== verify)
        return (own as typeof verify).call(this, token);
    }
    return verifyKnown(token, undefined);
  }

  // verifyNow past its override check. `hit`: the cache's entry for `token`, already looked up
  // (then `token` itself is not read again).
  function verifyKnown(
    token: string,
    hit: AuthInfo<JWTClaims> | undefined,
  ): AuthInfo<C> | Promise<AuthInfo<C>> {
    let auth: Step;
    try {
      // Three segments within the size limit take the fast path; anything else (a JWE, a
      // malformed token) gets checkCompact's precise verdict first. A known token is a hit.
      if (hit !== undefined) auth = fromHit(hit);
      else if (!isCompactJws(token, maxTokenSize)) {
        const segments = checkCompact(token, maxTokenSize, decrypt !== undefined);
        return verifySlow(token, segments.length === 5, true).catch(fail);
      } else auth = cache ? cachedJws(token, cache) : verifyJws(token, false, false);
    } catch (error) {
      return fail(error);
    }
    if (auth instanceof Promise) return (auth as Promise<AuthInfo<C>>).catch(fail);
    return auth as AuthInfo<C>;
  }

  // `Promise.resolve` hands a promise back as it is and wraps a result.
  function verify(token: string): Promise<AuthInfo<C>> {
    try {
      return Promise.resolve(verifyNow.call(verifier, token));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const orNull = (error: unknown): null => {
    if (error instanceof InvalidTokenError) return null;
    throw error;
  };

  // The cache asked about the usual `Bearer` line before its RFC 6750 grammar is checked: a
  // token it knows passed that check when it was verified. Only where the header is the one
  // place a token may come from, and the cache key is synchronous (the Node entry); a miss is
  // extracted and checked as always, so every refusal stays the same (issue 10).
  const knownStore =
    cache?.getNow && engine.digest && extractOptions.cookie === undefined && !extractOptions.query
      ? cache
      : undefined;
  function knownToken(store: TokenCache, request: TokenRequest): AuthInfo<JWTClaims> | undefined {
    const candidate = bearerCandidate(request);
    if (candidate === undefined || candidate.length > maxTokenSize) return undefined;
    const hit = (store.getNow as NonNullable<TokenCache['getNow']>)(candidate);
    if (!(hit instanceof Promise)) return hit;
    hit.catch(() => undefined); // an engine with an asynchronous digest: asked again below
    return undefined;
  }

  // Without a custom extractor, reading the token needs no promise either.
  function authenticateNow(
    this: unknown,
    request: TokenRequest,
    opts?: AuthenticateOptions,
  ): AuthInfo<C> | null | Promise<AuthInfo<C> | null> {
    // Called on a copy that replaced `authenticate` (`{ ...verifier, authenticate: check }`,
    // a test double): adapters call authenticateNow, so the override must still run.
    if (this !== verifier && typeof this === 'object' && this !== null) {
      const own = (this as { authenticate?: unknown }).authenticate;
      if (typeof own === 'function' && own !== authenticate)
        return (own as typeof authenticate).call(this, request, opts);
    }
    const mode = opts?.optional === undefined ? options.optional : opts.optional || undefined;
    if (extractOptions.extract) return authenticateSlow(request, mode);
    let token: string | undefined;
    let hit: AuthInfo<JWTClaims> | undefined;
    try {
      hit = knownStore && knownToken(knownStore, request);
      token = hit ? '' : builtInToken(request, extractOptions);
    } catch (error) {
      // RFC 6750 §3.1 invalid_request is never swallowed by optional modes.
      return fail(error);
    }
    if (token === undefined) {
      if (mode) return null;
      throw prepareError(new MissingTokenError());
    }
    // As before, without verifyNow's override check: it ran with `this` the verifier itself.
    if (mode !== 'allow-invalid') return verifyKnown(token, hit);
    let auth: AuthInfo<C> | Promise<AuthInfo<C>>;
    try {
      auth = verifyKnown(token, hit);
    } catch (error) {
      return orNull(error);
    }
    return auth instanceof Promise ? auth.catch(orNull) : auth;
  }

  function authenticate(
    request: TokenRequest,
    opts?: AuthenticateOptions,
  ): Promise<AuthInfo<C> | null> {
    try {
      return Promise.resolve(authenticateNow.call(verifier, request, opts));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async function authenticateSlow(
    request: TokenRequest,
    mode: OptionalMode | undefined,
  ): Promise<AuthInfo<C> | null> {
    let token: string | undefined;
    try {
      token = await extractToken(request, extractOptions);
    } catch (error) {
      // RFC 6750 §3.1 invalid_request is never swallowed by optional modes.
      throw prepareError(mapJoseError(error));
    }
    if (token === undefined) {
      if (mode) return null;
      throw prepareError(new MissingTokenError());
    }
    try {
      return await verify(token);
    } catch (error) {
      if (mode === 'allow-invalid' && error instanceof InvalidTokenError) return null;
      throw error;
    }
  }

  const verifier = {
    prepareError,
    verify,
    verifyNow,
    authenticate,
    authenticateNow,
    health: () => router.health(),
  };
  // Not enumerable, so `console.log(verifier)` and error reporters that walk it skip it.
  Object.defineProperty(verifier, 'options', { value: publicOptions(options), enumerable: false });
  return verifier as Verifier<C>;
}
