import { base64url, type JSONWebKeySet, type JWTPayload } from 'jose';
import { checkKnownOptions } from './check.js';
import { type Duration, toSeconds } from './duration.js';
import type { EncryptOptions } from './encrypt.js';
import { InvalidRefreshTokenError, RefreshTokenReuseError } from './errors.js';
import { createKeyRing, type KeyRing } from './key-ring.js';
import type { IssuerKey } from './keys.js';
import {
  MemoryRefreshTokenStore,
  type RefreshTokenRecord,
  type RefreshTokenStore,
  type StoredRefreshToken,
} from './refresh-store.js';
import { randomId, type SignOptions, sign } from './sign.js';

/** Options of {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** `iss` of every access token. */
  issuer: string;
  /** `aud` of every access token. */
  audience: string | string[];
  /** A key ring, or a single private key (a ring is built around it). */
  keys: KeyRing | IssuerKey;
  /** Access token lifetime, seconds or `'15m'`. Default `'15m'`. */
  accessTokenTtl?: Duration;
  /** Lifetime of each refresh token (renewed on every rotation), seconds or `'30d'`. Default `'30d'`. */
  refreshTokenTtl?: Duration;
  /**
   * A rotated refresh token presented again within this many seconds (`'10s'`) is refused
   * without revoking its family, for clients that race two refreshes. Default 0: any reuse
   * revokes the family (RFC 9700 §4.14.2).
   */
  reuseInterval?: Duration | 0;
  /** Where refresh tokens are kept (hashed). Default a {@link MemoryRefreshTokenStore}. */
  store?: RefreshTokenStore;
  /** `typ` of access tokens. Default `'at+jwt'` (RFC 9068). */
  accessTokenTyp?: string;
  /** Encrypt every access token to this recipient (nested JWT). Default: don't. */
  encryptTo?: EncryptOptions;
}

/** A successful token response (RFC 6749 §5.1). Send it with `Cache-Control: no-store`. */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  /** Access token lifetime in seconds. */
  expires_in: number;
}

/** Issues and rotates tokens; build one per application. */
export interface TokenIssuer {
  /**
   * Start a refresh-token family for `subject` (at login) and return the first pair. `claims`
   * are deep-copied and go into every access token of the family; `iss`, `sub`, `aud`, `jti`,
   * `iat`, `exp` and `nbf` are the issuer's (each access token gets a fresh `jti`), so giving
   * one is a `TypeError`.
   */
  issueTokens(subject: string, claims?: Record<string, unknown>): Promise<TokenResponse>;
  /** Exchange a refresh token for a new pair; the old one stops working. */
  refresh(refreshToken: string): Promise<TokenResponse>;
  /** Revoke the token's whole family (logout). `false` when the token is unknown (RFC 7009 §2.2: not an error). */
  revoke(refreshToken: string): Promise<boolean>;
  /** Sign any other token with the ring and this issuer's `iss` (e.g. an ID token with its own `typ`). */
  sign(claims: JWTPayload, options: Omit<SignOptions, 'key' | 'issuer'>): Promise<string>;
  /** The public JWK Set of the ring. */
  jwks(): JSONWebKeySet;
  /** The key ring (rotate keys through it). */
  readonly keys: KeyRing;
}

const OPTION_NAMES = [
  'issuer',
  'audience',
  'keys',
  'accessTokenTtl',
  'refreshTokenTtl',
  'reuseInterval',
  'store',
  'accessTokenTyp',
  'encryptTo',
];

// Set by the issuer on every access token. A caller's `jti` would be copied into every token
// of the family (RFC 7519 §4.1.7 wants it unique), so these are refused rather than ignored.
const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'jti', 'iat', 'exp', 'nbf'];

// 32 random bytes, base64url: 43 characters.
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return base64url.encode(new Uint8Array(digest));
}

function checkOptions(options: TokenIssuerOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('Options are required');
  checkKnownOptions(options, OPTION_NAMES, 'createTokenIssuer');
  if (typeof options.issuer !== 'string' || !options.issuer) {
    throw new TypeError('"issuer" must be a non-empty string');
  }
  const aud = options.audience;
  const audOk = typeof aud === 'string' ? aud.length > 0 : Array.isArray(aud) && aud.length > 0;
  if (!audOk) throw new TypeError('"audience" must be a non-empty string or array');
  const store = options.store;
  if (
    store !== undefined &&
    ['insert', 'get', 'rotate', 'revokeFamily'].some(
      (m) => typeof (store as never)[m] !== 'function',
    )
  ) {
    throw new TypeError('"store" must implement RefreshTokenStore');
  }
}

/** A deep copy of the caller's claims, checked: later changes by the caller reach no token. */
function ownClaims(claims: unknown): Record<string, unknown> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError('"claims" must be an object');
  }
  for (const name of RESERVED_CLAIMS) {
    if ((claims as Record<string, unknown>)[name] !== undefined) {
      throw new TypeError(`"${name}" is set by the issuer; it cannot be given in the claims`);
    }
  }
  try {
    return structuredClone(claims as Record<string, unknown>);
  } catch (error) {
    throw new TypeError('"claims" must hold JSON values (no functions or symbols)', {
      cause: error,
    });
  }
}

function asRing(keys: KeyRing | IssuerKey): KeyRing {
  return typeof (keys as KeyRing)?.rotate === 'function'
    ? (keys as KeyRing)
    : createKeyRing(keys as IssuerKey);
}

/**
 * Build a token issuer: short-lived JWT access tokens and opaque, rotating refresh tokens
 * with reuse detection. Options are checked here; misuse throws `TypeError`.
 *
 * @example
 * const tokens = createTokenIssuer({ issuer: 'https://id.example.com', audience: 'api',
 *   keys: createKeyRing(await generateSigningKey('ES256')) });
 * const pair = await tokens.issueTokens(user.id, { scope: 'read:things' });
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  checkOptions(options);
  const ring = asRing(options.keys);
  const accessTtl = toSeconds(options.accessTokenTtl ?? '15m', 'accessTokenTtl');
  const refreshTtlMs = toSeconds(options.refreshTokenTtl ?? '30d', 'refreshTokenTtl') * 1000;
  const reuseMs = options.reuseInterval
    ? toSeconds(options.reuseInterval, 'reuseInterval') * 1000
    : 0;
  const store = options.store ?? new MemoryRefreshTokenStore();
  const { issuer, audience } = options;

  const accessToken = (subject: string, claims: Record<string, unknown>) =>
    sign(claims, {
      key: ring,
      issuer,
      audience,
      subject,
      expiresIn: accessTtl,
      typ: options.accessTokenTyp ?? 'at+jwt',
      encryptTo: options.encryptTo,
    });

  const newRefresh = async (familyId: string, subject: string, claims: Record<string, unknown>) => {
    const token = randomId(32);
    const record: RefreshTokenRecord = {
      familyId,
      subject,
      claims,
      expiresAt: Date.now() + refreshTtlMs,
    };
    return { token, hash: await hashToken(token), record };
  };

  const respond = async (
    subject: string,
    claims: Record<string, unknown>,
    refreshToken: string,
  ) => ({
    access_token: await accessToken(subject, claims),
    refresh_token: refreshToken,
    token_type: 'Bearer' as const,
    expires_in: accessTtl,
  });

  const lookupHash = async (refreshToken: unknown): Promise<string> => {
    if (typeof refreshToken !== 'string' || !REFRESH_TOKEN.test(refreshToken)) {
      throw new InvalidRefreshTokenError('malformed');
    }
    return hashToken(refreshToken);
  };

  const refuse = async (current: StoredRefreshToken | undefined, now: number): Promise<never> => {
    if (!current) throw new InvalidRefreshTokenError('unknown');
    if (current.state === 'revoked') throw new InvalidRefreshTokenError('revoked');
    if (current.state === 'rotated') {
      if (current.rotatedAt !== undefined && now - current.rotatedAt < reuseMs) {
        throw new InvalidRefreshTokenError('rotated');
      }
      await store.revokeFamily(current.familyId);
      throw new RefreshTokenReuseError(current.familyId);
    }
    throw new InvalidRefreshTokenError('expired');
  };

  return {
    keys: ring,
    jwks: () => ring.jwks(),
    sign: (claims, signOptions) => sign(claims, { ...signOptions, key: ring, issuer }),
    async issueTokens(subject, given = {}) {
      if (typeof subject !== 'string' || !subject)
        throw new TypeError('"subject" must be a non-empty string');
      const claims = ownClaims(given);
      // Sign first: bad claims fail before anything is stored.
      const response = await respond(subject, claims, '');
      const next = await newRefresh(randomId(), subject, claims);
      await store.insert(next.hash, next.record);
      return { ...response, refresh_token: next.token };
    },
    async refresh(refreshToken) {
      const hash = await lookupHash(refreshToken);
      const found = await store.get(hash);
      if (!found) throw new InvalidRefreshTokenError('unknown');
      const next = await newRefresh(found.familyId, found.subject, found.claims);
      const now = Date.now();
      const result = await store.rotate(hash, { hash: next.hash, record: next.record }, now);
      if (!result.ok) return refuse(result.current, now);
      return respond(result.previous.subject, result.previous.claims, next.token);
    },
    async revoke(refreshToken) {
      const hash = await lookupHash(refreshToken).catch(() => undefined);
      const found = hash && (await store.get(hash));
      if (!found) return false;
      await store.revokeFamily(found.familyId);
      return true;
    },
  };
}
