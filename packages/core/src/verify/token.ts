// The verification of a token as a client sent it: size and syntax → (cache) → (JWE
// decryption) → the JWS steps. Every failure leaves as a TokengateError with the challenge.
import type { TokenCache } from '../cache.js';
import { introspectionOf, verifyIntrospected } from '../introspection/verify.js';
import { checkCompact, isCompactJws } from '../parse.js';
import { checkRevoked, checkTimeClaims } from '../policy.js';
import { observeVerification } from '../telemetry/observe.js';
import type { ProtectedHeader } from '../types.js';
import { fail, type MaybeAsync, type Verified, type VerifyContext } from './context.js';
import { verifyJws } from './jws.js';

/**
 * Verify `token`: the result when no step had to wait, else a promise of it. Every failure is
 * a `TokengateError` carrying the challenge parameters, thrown or rejected. `hit`: the cache's
 * entry for `token`, when the caller already looked it up.
 *
 * @example
 * const auth = await verifyToken(ctx, token);
 */
export function verifyToken(
  ctx: VerifyContext,
  token: string,
  hit?: Verified,
): MaybeAsync<Verified> {
  if (ctx.telemetry === undefined) return verifyOnce(ctx, token, hit);
  return observeVerification(ctx.telemetry, verifyOnce, ctx, token, hit);
}

function verifyOnce(
  ctx: VerifyContext,
  token: string,
  hit: Verified | undefined,
): MaybeAsync<Verified> {
  let auth: MaybeAsync<Verified>;
  try {
    auth = hit === undefined ? verifyNew(ctx, token) : recheckHit(ctx, hit);
  } catch (error) {
    return fail(ctx, error);
  }
  return auth instanceof Promise ? auth.catch((error: unknown) => fail(ctx, error)) : auth;
}

// A token an issuer introspects (an opaque one, or a JWT under `tokens: 'all'`) goes to its
// endpoint, and never through the verified-token cache, which would outlive `cache.maxAge`.
// Three segments within the size limit go straight to the JWS steps (whose strict decoding
// proves the alphabet); anything else gets checkCompact's precise verdict first, and what
// passes it with five segments is a JWE.
function verifyNew(ctx: VerifyContext, token: string): MaybeAsync<Verified> {
  const route = ctx.issuers.introspection;
  const introspection = route === undefined ? undefined : introspectionOf(route, token);
  if (introspection !== undefined)
    return verifyIntrospected(token, introspection, {
      maxTokenSize: ctx.maxTokenSize,
      senderChecks: ctx.sender !== undefined,
    });
  if (isCompactJws(token, ctx.maxTokenSize))
    return ctx.cache ? throughCache(ctx, ctx.cache, token, verifyJws) : verifyJws(ctx, token);
  checkCompact(token, ctx.maxTokenSize, ctx.decrypt !== undefined);
  return ctx.cache ? throughCache(ctx, ctx.cache, token, verifyJwe) : verifyJwe(ctx, token);
}

// RFC 7519 §5.2 nested JWT: the plaintext is a JWS that has not been through the syntax
// checks yet. checkCompact let five segments through only with `decrypt` set.
async function verifyJwe(ctx: VerifyContext, token: string): Promise<Verified> {
  const decrypt = ctx.decrypt as NonNullable<VerifyContext['decrypt']>;
  const jws = await decrypt(token);
  checkCompact(jws, ctx.maxTokenSize, false);
  return verifyJws(ctx, jws, true);
}

type Verify = (ctx: VerifyContext, token: string) => MaybeAsync<Verified>;

// The cache is keyed by the token as sent (a JWE's outer form): a hit is re-checked, a miss
// verified and remembered.
function throughCache(
  ctx: VerifyContext,
  cache: TokenCache,
  token: string,
  verify: Verify,
): MaybeAsync<Verified> {
  const hit = cache.get(token);
  if (hit) return recheckHit(ctx, hit);
  return remember(cache, token, verify(ctx, token));
}

function remember(
  cache: TokenCache,
  token: string,
  auth: MaybeAsync<Verified>,
): MaybeAsync<Verified> {
  if (auth instanceof Promise) return auth.then((verified) => store(cache, token, verified));
  return store(cache, token, auth);
}

function store(cache: TokenCache, token: string, auth: Verified): Verified {
  cache.set(token, auth);
  return auth;
}

// A cache hit: its signature was verified when it was stored, but time passes and tokens get
// revoked, so the time claims and the revocation hook are checked again. The cache hands out
// frozen results.
function recheckHit(ctx: VerifyContext, hit: Verified): MaybeAsync<Verified> {
  const binding = ctx.issuers.resolveNow(hit.claims);
  if (binding === undefined || binding.policy.isRevoked) return recheckHitLater(ctx, hit);
  checkTimeClaims(hit.claims, binding.policy, Date.now() / 1000);
  return hit;
}

async function recheckHitLater(ctx: VerifyContext, hit: Verified): Promise<Verified> {
  const { policy } = await ctx.issuers.resolve(hit.claims);
  checkTimeClaims(hit.claims, policy, Date.now() / 1000);
  // The hook's header type stays jose's (mutable) so a hook can hand it to jose; it is frozen.
  await checkRevoked(hit.claims, hit.header as ProtectedHeader, policy);
  return hit;
}
