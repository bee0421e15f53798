// The verification of one compact JWS, as steps in this order:
//
//   parse → bind issuer → find keys → check signature → check claims → freeze
//
// Each step hands its result to the next one directly when it had it at once, and through
// `then` when it had to wait (a JWKS fetch, a Web Crypto signature, an application hook), so a
// token whose steps all answered at once is verified without a promise (see MaybeAsync).
import { UnsupportedAlgorithmError } from '../errors.js';
import { freezeVerified } from '../freeze.js';
import type { IssuerBinding } from '../issuers.js';
import type { VerificationKey } from '../keys/types.js';
import { checkCompact, type ParsedToken, parseJws } from '../parse.js';
import { checkBuiltInClaims, checkIssuer, hasHooks, runHooks } from '../policy.js';
import { refuseBound, tokenBinding } from '../sender/binding.js';
import { verifySignature } from '../signature-step.js';
import type { MaybeAsync, Verified, VerifyContext } from './context.js';

/**
 * Verify a compact JWS of three segments within the size limit. `checked`: the token already
 * passed `checkCompact`; by default (only `isCompactJws` vouched for it) a parse failure
 * reports `checkCompact`'s verdict, which comes first.
 *
 * @example
 * const auth = await verifyJws(ctx, token);
 */
export function verifyJws(ctx: VerifyContext, jws: string, checked = false): MaybeAsync<Verified> {
  return bindIssuer(ctx, jws, parse(ctx, jws, checked));
}

// RFC 7515 §2, §7.1: canonical base64url segments, JSON-object header and payload, `alg` on the
// allow-list of some trusted issuer.
function parse(ctx: VerifyContext, jws: string, checked: boolean): ParsedToken {
  try {
    return parseJws(jws, ctx.issuers.algorithms, ctx.engine.decoder, ctx.headers);
  } catch (error) {
    if (!checked) checkCompact(jws, ctx.maxTokenSize, false);
    throw error;
  }
}

// The key source and policy of the token's unverified `iss` (an allow-list lookup, no fetch).
function bindIssuer(ctx: VerifyContext, jws: string, token: ParsedToken): MaybeAsync<Verified> {
  const binding = ctx.issuers.resolveNow(token.claims);
  if (binding === undefined)
    return ctx.issuers.resolve(token.claims).then((found) => findKeys(ctx, jws, token, found));
  return findKeys(ctx, jws, token, binding);
}

// The issuer's algorithms and `iss` are checked before the key lookup, so that a forged token
// never causes a JWKS fetch (RFC 8725 §3.1, §3.8).
function findKeys(
  ctx: VerifyContext,
  jws: string,
  token: ParsedToken,
  binding: IssuerBinding,
): MaybeAsync<Verified> {
  const { header, claims } = token;
  if (!binding.source.algorithms.includes(header.alg as string))
    throw new UnsupportedAlgorithmError();
  checkIssuer(claims, binding.policy.issuer);
  const keys = binding.source.getKeyNow?.(header, claims);
  if (keys !== undefined) return checkSignature(ctx, jws, token, binding, keys);
  return binding.source
    .getKey(header, claims)
    .then((found) =>
      checkSignature(ctx, jws, token, binding, Array.isArray(found) ? found : [found]),
    );
}

function checkSignature(
  ctx: VerifyContext,
  jws: string,
  token: ParsedToken,
  binding: IssuerBinding,
  keys: readonly VerificationKey[],
): MaybeAsync<Verified> {
  const pending = verifySignature(ctx.engine.signature, jws, token.header.alg as string, keys);
  if (pending) return pending.then(() => checkClaims(ctx, jws, token, binding));
  return checkClaims(ctx, jws, token, binding);
}

// The built-in policy, then the application's hooks; the result is frozen because the cache
// hands the same objects to every later request with this token.
function checkClaims(
  ctx: VerifyContext,
  jws: string,
  token: ParsedToken,
  binding: IssuerBinding,
): MaybeAsync<Verified> {
  const { header, claims } = token;
  const { policy } = binding;
  checkBuiltInClaims(claims, header, policy, Date.now() / 1000);
  const bound = tokenBinding(claims);
  // Without `dpop` and `mtls` no request will prove the binding: refused here, before caching.
  if (ctx.sender === undefined)
    refuseBound(bound, 'this API does not check sender-constrained tokens');
  if (!hasHooks(policy)) return freezeVerified(jws, header, claims, bound);
  return runHooks(claims, header, policy).then(() => freezeVerified(jws, header, claims, bound));
}
