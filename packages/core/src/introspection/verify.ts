// Which tokens go to introspection, and the checks an introspected token goes through: the
// same claims policy, hooks and sender binding as a JWT's claims, then the same frozen result.
import { decodeJwt } from 'jose';
import { MalformedTokenError } from '../errors.js';
import { freezeVerified } from '../freeze.js';
import type { Policy } from '../options-check.js';
import { checkBuiltInClaims, hasHooks, runHooks } from '../policy.js';
import { refuseBound, tokenBinding } from '../sender/binding.js';
import type { ProtectedHeader } from '../types.js';
import type { Verified } from '../verify/context.js';
import type { Introspector } from './introspector.js';

/**
 * One introspecting issuer: its client and the policy its answers are checked against (the
 * issuer's, without the JWT-only `typ` rule and the RFC 9068 claims it implies).
 *
 * @example
 * const binding: IntrospectionBinding = { introspector, policy };
 */
export interface IntrospectionBinding {
  readonly introspector: Introspector;
  readonly policy: Policy;
}

/**
 * Where tokens go to introspection: `opaque` (the one issuer that resolves tokens naming no
 * issuer), `everyJwt` (a single issuer with `tokens: 'all'`), and `byIssuer` (an `issuers` entry
 * with `tokens: 'all'`, by the JWT's unverified `iss`).
 *
 * @example
 * const route: IntrospectionRoute = { opaque: binding, byIssuer: new Map() };
 */
export interface IntrospectionRoute {
  readonly opaque: IntrospectionBinding;
  readonly everyJwt?: IntrospectionBinding | undefined;
  readonly byIssuer: ReadonlyMap<string, IntrospectionBinding>;
}

// A compact JWS or JWE: three or five segments, the first a base64url JSON object ('{"' is
// 'eyJ'). Anything else names no issuer and no key: only the issuer's endpoint knows it.
function looksLikeJwt(token: string): boolean {
  if (!token.startsWith('eyJ')) return false;
  const segments = token.split('.').length;
  return segments === 3 || segments === 5;
}

function unverifiedIssuer(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined; // the JWT path says precisely what is wrong with it
  }
}

/**
 * The introspecting issuer that resolves `token`, or `undefined` for the local JWT path.
 *
 * @example
 * const binding = introspectionOf(ctx.introspection, token);
 */
export function introspectionOf(
  route: IntrospectionRoute,
  token: string,
): IntrospectionBinding | undefined {
  if (typeof token !== 'string' || !looksLikeJwt(token)) return route.opaque;
  if (route.everyJwt !== undefined) return route.everyJwt;
  if (route.byIssuer.size === 0) return undefined;
  const iss = unverifiedIssuer(token);
  return iss === undefined ? undefined : route.byIssuer.get(iss);
}

// RFC 6750 §2.1 b64token: what a bearer token may be made of; anything else is not sent on.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * An introspected token has no JOSE header: its `AuthInfo.header` is this empty object, and the
 * validators and `isRevoked` hooks receive it.
 */
const NO_HEADER: ProtectedHeader = Object.freeze({});

/**
 * Verify a token by introspection: size and syntax, the endpoint's answer (cached, one call in
 * flight per token), then the claims policy, the sender binding and the hooks.
 *
 * @example
 * const auth = await verifyIntrospected(token, binding, { maxTokenSize: 8192, senderChecks: true });
 */
export async function verifyIntrospected(
  token: string,
  binding: IntrospectionBinding,
  context: { maxTokenSize: number; senderChecks: boolean },
): Promise<Verified> {
  if (typeof token !== 'string' || token.length === 0) throw new MalformedTokenError();
  if (token.length > context.maxTokenSize) throw new MalformedTokenError('The token is too large');
  if (!B64TOKEN.test(token)) throw new MalformedTokenError();
  const claims = await binding.introspector.claimsOf(token);
  const { policy } = binding;
  checkBuiltInClaims(claims, NO_HEADER, policy, Date.now() / 1000);
  const bound = tokenBinding(claims);
  // Without `dpop` and `mtls` no request will prove the binding (as for a JWT).
  if (!context.senderChecks)
    refuseBound(bound, 'this API does not check sender-constrained tokens');
  if (hasHooks(policy)) await runHooks(claims, NO_HEADER, policy);
  return freezeVerified(token, NO_HEADER, claims, bound);
}
