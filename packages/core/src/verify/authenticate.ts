// The authentication of a request: extract the token (RFC 6750 §2) → apply the optional mode
// → verify. What the request protocol calls for every request.
import { InvalidTokenError, MissingTokenError } from '../errors.js';
import { builtInToken, extractToken, uncheckedBearerToken } from '../extract.js';
import type { OptionalMode, TokenRequest } from '../types.js';
import {
  fail,
  type MaybeAsync,
  type Verified,
  type VerifyContext,
  withChallenge,
} from './context.js';
import { verifyToken } from './token.js';

type Mode = OptionalMode | undefined;

/**
 * Authenticate a request: the verified token, `undefined` when the optional mode lets the
 * request through without one, or a promise of either when a step had to wait. Failures are
 * `TokengateError`s carrying the challenge, thrown or rejected. `optional`: the caller's mode
 * (`false`: required); `undefined` keeps the verifier's own.
 *
 * @example
 * const auth = await authenticateRequest(ctx, request, 'allow-missing');
 */
export function authenticateRequest(
  ctx: VerifyContext,
  request: TokenRequest,
  optional: OptionalMode | false | undefined,
): MaybeAsync<Verified | undefined> {
  const mode = optional === undefined ? ctx.optional : optional || undefined;
  if (ctx.extract.extract) return authenticateWithExtractor(ctx, request, mode);
  let hit: Verified | undefined;
  let token: string | undefined;
  try {
    hit = knownToken(ctx, request);
    token = hit === undefined ? builtInToken(request, ctx.extract) : hit.token;
  } catch (error) {
    // RFC 6750 §3.1: invalid_request is never swallowed by an optional mode.
    return fail(ctx, error);
  }
  if (token === undefined) return anonymous(ctx, mode);
  return verifyInMode(ctx, token, hit, mode);
}

// A custom extractor may return a promise; everything after it is awaited too.
async function authenticateWithExtractor(
  ctx: VerifyContext,
  request: TokenRequest,
  mode: Mode,
): Promise<Verified | undefined> {
  let token: string | undefined;
  try {
    token = await extractToken(request, ctx.extract);
  } catch (error) {
    return fail(ctx, error);
  }
  if (token === undefined) return anonymous(ctx, mode);
  return verifyInMode(ctx, token, undefined, mode);
}

// No token at all: anonymous in either optional mode, else 401 without an error code
// (RFC 6750 §3.1).
function anonymous(ctx: VerifyContext, mode: Mode): undefined {
  if (mode) return undefined;
  throw withChallenge(ctx, new MissingTokenError());
}

// `allow-invalid` lets a request with an invalid token through as anonymous; a key set that
// cannot be fetched (503) or a broken configuration still fails it.
function verifyInMode(
  ctx: VerifyContext,
  token: string,
  hit: Verified | undefined,
  mode: Mode,
): MaybeAsync<Verified | undefined> {
  if (mode !== 'allow-invalid') return verifyToken(ctx, token, hit);
  let auth: MaybeAsync<Verified>;
  try {
    auth = verifyToken(ctx, token, hit);
  } catch (error) {
    return anonymousIfInvalid(error);
  }
  return auth instanceof Promise ? auth.catch(anonymousIfInvalid) : auth;
}

function anonymousIfInvalid(error: unknown): undefined {
  if (error instanceof InvalidTokenError) return undefined;
  throw error;
}

// The cache's entry for the token of the usual request (one `Authorization: Bearer` line),
// asked before the RFC 6750 §2.1 grammar is checked: a token the cache knows passed that check
// when it was verified. A miss is extracted and checked as usual, so every refusal (a second
// credential, a malformed line) stays what it is without the cache.
function knownToken(ctx: VerifyContext, request: TokenRequest): Verified | undefined {
  const cache = ctx.knownTokens;
  if (cache === undefined) return undefined;
  const candidate = uncheckedBearerToken(request);
  if (candidate === undefined || candidate.length > ctx.maxTokenSize) return undefined;
  const hit = cache.get(candidate);
  if (!(hit instanceof Promise)) return hit;
  hit.catch(() => undefined); // an asynchronous digest: the token is looked up again later
  return undefined;
}
