// What every step of a verification reads: the checked options and the state built from
// them once, when the verifier is created.
import { createTokenCache, type TokenCache } from '../cache.js';
import { challengeOptions } from '../challenge.js';
import type { ChallengeOptions, TokengateError } from '../errors.js';
import type { ExtractOptions } from '../extract.js';
import { createIssuerResolver, type IssuerResolver } from '../issuers.js';
import { mapJoseError } from '../jose-errors.js';
import { createDecryptor, type Decryptor } from '../jwe.js';
import type { VerifierOptions } from '../options.js';
import { checkPolicy, checkTopLevel } from '../options-check.js';
import { HeaderMemo } from '../parse.js';
import { createSenderChecks, type ResponseHeaders, type SenderChecks } from '../sender/check.js';
import { createObserver } from '../telemetry/observe.js';
import type { Telemetry } from '../telemetry/types.js';
import type { AuthInfo, JWTClaims, OptionalMode } from '../types.js';
import type { VerifyEngine } from '../verifier-types.js';

/**
 * A verified token as the steps pass it on (the claims type is the caller's business).
 *
 * @example
 * const auth: Verified = freezeVerified(token, header, claims);
 */
export type Verified = AuthInfo<JWTClaims>;

/**
 * What a step returns: its value when nothing had to wait, else a promise of it. The request
 * protocol answers in the same turn when no step waited (keys in memory, a synchronous
 * signature check or a cache hit, no asynchronous hooks).
 *
 * @example
 * const step: MaybeAsync<Verified> = verifyJws(ctx, token, false);
 */
export type MaybeAsync<T> = T | Promise<T>;

/**
 * One verifier's options, checked, and the state built from them.
 *
 * @example
 * const ctx = createContext(engine, { secret, issuer: 'https://id.example/' });
 */
export interface VerifyContext {
  readonly engine: VerifyEngine;
  /** The key source and claims policy of each trusted issuer. */
  readonly issuers: IssuerResolver;
  /** Decoded protected headers by segment text. */
  readonly headers: HeaderMemo;
  /** Largest accepted token, in characters. */
  readonly maxTokenSize: number;
  /** Set when `decryption` is configured; without it a JWE is refused. */
  readonly decrypt: Decryptor | undefined;
  /** The verified-token cache, when `cache` is on. */
  readonly cache: TokenCache | undefined;
  /** The same cache, where it may be asked before the RFC 6750 grammar check (see knownToken). */
  readonly knownTokens: TokenCache | undefined;
  readonly extract: ExtractOptions;
  /** The verifier's optional mode; `undefined`: required. */
  readonly optional: OptionalMode | undefined;
  readonly challenge: ChallengeOptions;
  /** Who hears of each verification's outcome; `undefined` when nobody listens. */
  readonly telemetry: Telemetry | undefined;
  /** The DPoP and client certificate checks; `undefined` when `dpop` and `mtls` are off. */
  readonly sender: SenderChecks | undefined;
}

/**
 * An authentication that passed and asks for headers on the response (a fresh `DPoP-Nonce`).
 * Only the sender-constrained path, which always waits, produces one.
 *
 * @example
 * return headers === undefined ? auth : new PassWithHeaders(auth, headers);
 */
export class PassWithHeaders {
  constructor(
    readonly auth: Verified,
    readonly headers: ResponseHeaders,
  ) {}
}

// A token the cache knows may be looked up before its grammar is checked only where the
// `Authorization` header is the one place a token may come from (no cookie, no query, no
// custom extractor: a second credential would otherwise go unseen).
function knownTokenCache(
  cache: TokenCache | undefined,
  extract: ExtractOptions,
): TokenCache | undefined {
  const headerOnly = extract.cookie === undefined && !extract.query && !extract.extract;
  return headerOnly ? cache : undefined;
}

/**
 * Check the options (`TypeError` naming the option) and build the context of one verifier.
 *
 * @example
 * const ctx = createContext(joseEngine, options);
 */
export function createContext(engine: VerifyEngine, options: VerifierOptions): VerifyContext {
  const { maxTokenSize } = checkTopLevel(options);
  const observer = createObserver(options, engine.telemetry);
  const issuers = createIssuerResolver(options, checkPolicy(options), observer, {
    signature: engine.signature,
    digest: engine.digest.bind(engine),
  });
  const decrypt =
    options.decryption === undefined
      ? undefined
      : createDecryptor(options.decryption, maxTokenSize);
  const cache = options.cache
    ? createTokenCache(typeof options.cache === 'object' ? options.cache : {}, engine.digest)
    : undefined;
  const extract = { cookie: options.cookie, query: options.query, extract: options.extract };
  const sender = createSenderChecks(options);
  return {
    engine,
    issuers,
    headers: new HeaderMemo(),
    maxTokenSize,
    decrypt,
    cache,
    knownTokens: knownTokenCache(cache, extract),
    extract,
    optional: options.optional,
    challenge: challengeOptions(options),
    telemetry: observer.telemetry,
    sender,
  };
}

/**
 * Set the verifier's challenge parameters (RFC 6750 §3 `realm`, RFC 9728
 * `resource_metadata`) on an error, so its `WWW-Authenticate` carries them.
 *
 * @example
 * throw withChallenge(ctx, new MissingTokenError());
 */
export function withChallenge<E extends TokengateError>(ctx: VerifyContext, error: E): E {
  error.challengeOptions = { ...ctx.challenge };
  return error;
}

/**
 * Throw what a step threw as a `TokengateError` carrying the challenge parameters.
 *
 * @example
 * return promise.catch((error) => fail(ctx, error));
 */
export function fail(ctx: VerifyContext, error: unknown): never {
  throw withChallenge(ctx, mapJoseError(error));
}
