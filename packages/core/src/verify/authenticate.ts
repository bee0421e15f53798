// The authentication of a request: extract the token (RFC 6750 §2) → apply the optional mode
// → verify. What the request protocol calls for every request.
import {
  type AuthScheme,
  InvalidDpopProofError,
  InvalidTokenError,
  isTokengateError,
  MissingTokenError,
} from '../errors.js';
import { builtInToken, dpopToken, extractToken, uncheckedBearerToken } from '../extract.js';
import type { RequestView } from '../protocol/view.js';
import { checkSender, type SenderChecks } from '../sender/check.js';
import { requireRequestView } from '../sender/dpop.js';
import type { OptionalMode, TokenRequest } from '../types.js';
import {
  fail,
  type MaybeAsync,
  PassWithHeaders,
  type Verified,
  type VerifyContext,
  withChallenge,
} from './context.js';
import { verifyToken } from './token.js';

type Mode = OptionalMode | undefined;

/**
 * Authenticate a request: the verified token, `undefined` when the optional mode lets the
 * request through without one, or a promise of either when a step had to wait (with `dpop` or
 * `mtls` on, always a promise, of a {@link PassWithHeaders} when the response needs headers). Failures are
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
): MaybeAsync<Verified | PassWithHeaders | undefined> {
  const mode = optional === undefined ? ctx.optional : optional || undefined;
  if (ctx.sender !== undefined) return authenticateSender(ctx, ctx.sender, request, mode);
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

// What `allow-invalid` lets through as anonymous: a token (or DPoP proof) that is invalid.
const isInvalid = (error: unknown): boolean =>
  error instanceof InvalidTokenError || error instanceof InvalidDpopProofError;

function anonymousIfInvalid(error: unknown): undefined {
  if (isInvalid(error)) return undefined;
  throw error;
}

// The credential of a request with sender-constrained tokens on: `DPoP <token>` when DPoP is
// on, else a bearer token unless only DPoP is accepted (then a bearer token is no credential
// of ours, like `Basic`: RFC 9449 §7.2).
function senderCredential(
  ctx: VerifyContext,
  sender: SenderChecks,
  request: TokenRequest,
): { scheme: AuthScheme; token: string } | undefined {
  const dpop = sender.dpop === undefined ? undefined : dpopToken(request, ctx.extract);
  if (dpop !== undefined) return { scheme: 'DPoP', token: dpop };
  const bearer = builtInToken(request, ctx.extract);
  if (bearer === undefined || sender.dpop?.required) return undefined;
  return { scheme: 'Bearer', token: bearer };
}

// With `dpop` or `mtls` on: extract (noting the scheme) → optional mode → verify → the sender
// checks the token's binding asks for. A refusal's challenge carries the error on the scheme
// the request used.
async function authenticateSender(
  ctx: VerifyContext,
  sender: SenderChecks,
  request: TokenRequest,
  mode: Mode,
): Promise<Verified | PassWithHeaders | undefined> {
  let credential: ReturnType<typeof senderCredential>;
  try {
    credential = senderCredential(ctx, sender, request);
  } catch (error) {
    return fail(ctx, error);
  }
  if (credential === undefined) return anonymous(ctx, mode);
  const { scheme, token } = credential;
  // A bare TokenRequest (the public `authenticate()` called by hand) cannot be checked with
  // DPoP: a programming error, answered 500 rather than blamed on the client.
  if (scheme === 'DPoP') requireRequestView(request);
  let checking = false;
  try {
    const auth = await verifyInMode(ctx, token, undefined, mode);
    if (auth === undefined) return undefined;
    checking = true;
    const headers = await checkSender(sender, request as RequestView, scheme, auth);
    return headers === undefined ? auth : new PassWithHeaders(auth, headers);
  } catch (error) {
    // The sender checks refuse with tokengate errors (a store that cannot answer included, as a
    // 503); anything else they throw is a fault of the server, never a 401 the client is blamed for.
    if (checking && !isTokengateError(error)) throw error;
    if (mode === 'allow-invalid' && isInvalid(error)) return undefined;
    if (isTokengateError(error) && error.scheme === undefined) error.scheme = scheme;
    return fail(ctx, error);
  }
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
  return cache.get(candidate);
}
