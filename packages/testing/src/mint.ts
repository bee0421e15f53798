import { base64url, CompactSign, type CryptoKey, type JWTPayload, UnsecuredJWT } from 'jose';
import type { SigningAlgorithm } from './keys.js';

/**
 * Seconds (negative: in the past) or a short span such as `'5m'`, `'-1h'`, `'30s'`, `'2d'`.
 *
 * @example
 * const expired = await issuer.mint({}, { expiresIn: '-1h' });
 */
export type Duration = number | string;

/**
 * Claims for `mint()`: any JSON values; a claim set to `undefined` is left out (e.g. `exp`).
 *
 * @example
 * const noExpiry = await issuer.mint({ scope: 'read', exp: undefined });
 */
export type MintClaims = JWTPayload & Record<string, unknown>;

/**
 * Which key signs a minted token.
 *
 * @example
 * const forged = await issuer.mint({}, { key: 'stranger' }); // a bad signature
 */
export type KeyChoice =
  /** The issuer's current key for the algorithm (default). */
  | 'current'
  /** A key the issuer never published, with the current key's `kid`: a bad signature. */
  | 'stranger'
  /** A key the issuer never published, with a `kid` that is not in the JWKS. */
  | 'unknown'
  /** Any key or secret of your own; the `kid` stays the current one unless `header.kid` says otherwise. */
  | CryptoKey
  | Uint8Array;

/**
 * Per-token overrides of `mint()`.
 *
 * @example
 * await issuer.mint({ scope: 'read' }, { alg: 'ES256', expiresIn: -60, header: { typ: 'at+jwt' } });
 */
export interface MintOptions {
  /** Signing algorithm. Default: the issuer's `algorithm` (`'RS256'`). `HS*` use the shared secret. */
  alg?: SigningAlgorithm;
  /** Extra or replaced protected-header fields (`kid`, `typ`, `crit`, ...); `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Lifetime from now: seconds or `'5m'`; negative for an expired token. Default: the issuer's (`'5m'`). Ignored when `claims.exp` is given. */
  expiresIn?: Duration;
  /** `nbf` relative to now (seconds or `'5m'`; positive: not yet valid). Default: no `nbf`. */
  notBefore?: Duration;
  /** `iat` relative to now (seconds or `'5m'`). Default: now. */
  issuedAt?: Duration;
  /** Which key signs. Default `'current'`. */
  key?: KeyChoice;
}

const SPAN = /^(-?\d+)\s*(s|sec|m|min|h|d)?$/;
const UNIT: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400 };

/**
 * Convert a {@link Duration} to seconds.
 *
 * @example
 * toSeconds('-5m'); // -300
 */
export function toSeconds(duration: Duration): number {
  if (typeof duration === 'number' && Number.isFinite(duration)) return Math.trunc(duration);
  const match = typeof duration === 'string' ? SPAN.exec(duration.trim()) : null;
  if (!match)
    throw new TypeError(`Invalid duration ${JSON.stringify(duration)}: use seconds or '5m'`);
  return Number(match[1]) * (UNIT[match[2] ?? 's'] ?? 1);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/**
 * What `signToken` needs: the resolved header, payload and key.
 *
 * @example
 * const input: SignInput = { header: { alg: 'HS256' }, payload: { exp: 'soon' }, key: secret };
 * const token = await signToken(input);
 */
export interface SignInput {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  key: CryptoKey | Uint8Array;
}

/**
 * Sign exactly this header and payload as a compact JWS. The payload is not validated, so
 * tests can mint tokens with a string `exp` or other bad claims.
 *
 * @example
 * await signToken({ header: { alg: 'HS256' }, payload: { sub: 'a' }, key: secretBytes });
 */
export async function signToken({ header, payload, key }: SignInput): Promise<string> {
  const clean = withoutUndefined(header);
  const crit = Array.isArray(clean.crit) ? clean.crit : [];
  // jose refuses to sign unknown `crit` extensions unless told they are understood.
  const critOption = Object.fromEntries(crit.map((name) => [String(name), true]));
  const bytes = new TextEncoder().encode(JSON.stringify(withoutUndefined(payload)));
  return new CompactSign(bytes)
    .setProtectedHeader(clean as { alg: string })
    .sign(key, crit.length > 0 ? { crit: critOption } : undefined);
}

/**
 * Defaults the issuer fills into every minted token.
 *
 * @example
 * const { audience } = issuer.defaults; // what a minted token carries unless overridden
 */
export interface ClaimDefaults {
  issuer: string;
  audience: string | string[];
  subject: string;
  expiresIn: Duration;
}

/**
 * Build the payload of a minted token: defaults, then the relative times, then `claims`.
 *
 * @example
 * buildPayload(defaults, { org: 'acme' }, { expiresIn: -60 });
 */
export function buildPayload(
  defaults: ClaimDefaults,
  claims: MintClaims,
  options: MintOptions,
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: defaults.issuer,
    sub: defaults.subject,
    aud: defaults.audience,
    iat: now + (options.issuedAt === undefined ? 0 : toSeconds(options.issuedAt)),
    exp: now + toSeconds(options.expiresIn ?? defaults.expiresIn),
    jti: base64url.encode(crypto.getRandomValues(new Uint8Array(12))),
  };
  if (options.notBefore !== undefined) payload.nbf = now + toSeconds(options.notBefore);
  return withoutUndefined({ ...payload, ...claims });
}

/**
 * An unsecured (`alg: none`) JWT with these exact claims — it must always be refused.
 *
 * @example
 * const forged = unsecuredToken({ sub: 'admin', iss, aud });
 */
export function unsecuredToken(claims: MintClaims): string {
  return new UnsecuredJWT(withoutUndefined(claims)).encode();
}
