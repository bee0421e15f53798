// The claims policy applied to a token whose signature has been verified.
import {
  InvalidClaimError,
  isTokengateError,
  RevokedTokenError,
  StoreUnavailableError,
  TokenExpiredError,
  TokenNotYetValidError,
} from './errors.js';
import type { Policy } from './options-check.js';
import type { JWTClaims, ProtectedHeader } from './types.js';

function numericDate(claims: JWTClaims, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  // RFC 7519 §2 NumericDate: a JSON number; a string "exp" is not one.
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidClaimError(name, `The "${name}" claim must be a number`);
  return value;
}

/**
 * Check `exp`, `nbf`, `iat` and `maxTokenAge` at `now` (epoch seconds), with the clock
 * tolerance applied the same way in both directions. Also run on every cache hit.
 *
 * @example
 * checkTimeClaims(claims, policy, Math.floor(Date.now() / 1000));
 */
export function checkTimeClaims(claims: JWTClaims, policy: Policy, now: number): void {
  const tolerance = policy.clockTolerance;
  const exp = numericDate(claims, 'exp');
  const nbf = numericDate(claims, 'nbf');
  const iat = numericDate(claims, 'iat');
  if (exp === undefined && policy.requireExp)
    throw new InvalidClaimError('exp', 'The "exp" claim is required');
  if (exp !== undefined && now >= exp + tolerance) throw new TokenExpiredError();
  if (nbf !== undefined && now < nbf - tolerance) throw new TokenNotYetValidError();
  if (iat !== undefined && now < iat - tolerance)
    throw new TokenNotYetValidError('The token was issued in the future');
  if (policy.maxTokenAge !== undefined) {
    if (iat === undefined)
      throw new InvalidClaimError('iat', 'The "iat" claim is required to check the token age');
    if (now - iat > policy.maxTokenAge + tolerance)
      throw new TokenExpiredError('The token is older than the maximum age');
  }
}

/**
 * Check the unverified `iss` against the allow-list (also before any key lookup).
 *
 * @example
 * checkIssuer({ iss: 'https://evil.example/' }, ['https://id.example/']); // throws InvalidClaimError('iss')
 */
export function checkIssuer(claims: JWTClaims, issuers: readonly string[] | undefined): void {
  if (issuers === undefined) return;
  if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss))
    throw new InvalidClaimError('iss', 'The token issuer is not trusted');
}

// An `aud` array is accepted when one of its strings is (no intermediate array per token).
function accepts(aud: unknown, audience: readonly string[]): boolean {
  if (!Array.isArray(aud)) return false;
  for (const a of aud) if (typeof a === 'string' && audience.includes(a)) return true;
  return false;
}

function checkAudience(claims: JWTClaims, audience: readonly string[] | undefined): void {
  if (audience === undefined) return;
  const aud = claims.aud;
  if (typeof aud === 'string' ? audience.includes(aud) : accepts(aud, audience)) return;
  throw new InvalidClaimError('aud', 'The token audience is not accepted');
}

// RFC 7515 §4.1.9: a media type; "application/" may be omitted, compared case-insensitively.
const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

function checkTyp(header: ProtectedHeader, allowed: Policy['typ']): void {
  if (allowed === undefined) return;
  const list = allowed === 'rfc9068' ? ['at+jwt'] : allowed; // RFC 9068 §4
  const typ = header.typ;
  if (typeof typ !== 'string' || !list.some((t) => normalizeTyp(t) === normalizeTyp(typ)))
    throw new InvalidClaimError('typ', 'The token type is not accepted');
}

function checkString(claims: JWTClaims, name: 'sub' | 'jti'): void {
  const value = claims[name];
  if (value !== undefined && typeof value !== 'string')
    throw new InvalidClaimError(name, `The "${name}" claim must be a string`);
}

function checkTypes(claims: JWTClaims): void {
  checkString(claims, 'sub');
  checkString(claims, 'jti');
}

/**
 * Run the revocation hook; a hook that fails closes the door rather than opening it: with a
 * 503 (the state could not be checked; the token may be fine), never by accepting.
 *
 * @example
 * await checkRevoked(claims, header, checkPolicy({ isRevoked: (c) => denyList.has(c.jti) }));
 */
export async function checkRevoked(
  claims: JWTClaims,
  header: ProtectedHeader,
  policy: Policy,
): Promise<void> {
  if (!policy.isRevoked) return;
  let revoked: boolean;
  try {
    revoked = await policy.isRevoked(claims, header);
  } catch (cause) {
    throw StoreUnavailableError.from(cause, 'The token revocation status could not be checked');
  }
  if (revoked !== false) throw new RevokedTokenError();
}

/**
 * The built-in claims policy: time claims, `iss`, `aud`, `requiredClaims` (which hold the
 * claims RFC 9068 §2.2 makes mandatory under `typ: 'rfc9068'`), claim types and `typ`, in that
 * order. A policy built with `issuer: false` / `audience: false` has no list to check. Synchronous; the application hooks run after it ({@link runHooks}).
 *
 * @example
 * checkBuiltInClaims(payload, protectedHeader, policy, Date.now() / 1000);
 */
export function checkBuiltInClaims(
  claims: JWTClaims,
  header: ProtectedHeader,
  policy: Policy,
  now: number,
): void {
  checkTimeClaims(claims, policy, now);
  checkIssuer(claims, policy.issuer);
  checkAudience(claims, policy.audience);
  for (const name of policy.requiredClaims)
    if (claims[name] === undefined)
      throw new InvalidClaimError(name, `The "${name}" claim is required`);
  checkTypes(claims);
  checkTyp(header, policy.typ);
}

/**
 * Whether the policy has application hooks (custom validators, a revocation check), which
 * may be asynchronous; without them the verifier needs no promise for the policy.
 *
 * @example
 * if (hasHooks(policy)) await runHooks(claims, header, policy);
 */
export const hasHooks = (policy: Policy): boolean =>
  policy.validators.length > 0 || policy.isRevoked !== undefined;

/**
 * Run the custom validators in order, then the revocation hook.
 *
 * @example
 * await runHooks(claims, header, policy);
 */
export async function runHooks(
  claims: JWTClaims,
  header: ProtectedHeader,
  policy: Policy,
): Promise<void> {
  for (const validator of policy.validators) {
    try {
      await validator(claims, header);
    } catch (cause) {
      if (isTokengateError(cause)) throw cause;
      throw new InvalidClaimError('claims', 'The token failed a custom check', { cause });
    }
  }
  await checkRevoked(claims, header, policy);
}
