import { type DpopProofOptions, StoreUnavailableError } from '@tokengate/core';
import { base64url, type JSONWebKeySet, type JWTPayload } from 'jose';
import { checkKnownOptions } from './check.js';
import { checkRefreshBinding, createTokenRequestProofs, type DpopTokenRequest } from './dpop.js';
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

/**
 * Options of {@link createTokenIssuer}.
 *
 * @example
 * const tokens = createTokenIssuer({
 *   issuer: 'https://id.example.com',
 *   audience: 'api',
 *   keys: ring,
 *   accessTokenTtl: '10m',
 * });
 */
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
  /**
   * Accept DPoP proofs at the token endpoint (RFC 9449 §5): `true` for the defaults, or the
   * proof options (`algorithms`, `maxAge` default 5 minutes, `clockTolerance` default 5 s,
   * `nonce`, `replayStore`). A request with a valid proof gets an access token bound to its
   * key (`cnf.jkt`) and, at login, a refresh-token family bound to it too. Default `false`:
   * off (a proof is a `TypeError`).
   */
  dpop?: DpopProofOptions | boolean;
}

/**
 * Per-request options of {@link TokenIssuer.issueTokens} and {@link TokenIssuer.refresh}.
 *
 * @example
 * await tokens.refresh(rt, { dpop: { proof: req.headersDistinct.dpop, method: 'POST', uri: TOKEN_URL } });
 */
export interface TokenRequestOptions {
  /**
   * The request's DPoP proof with the method and URL it is checked against (needs the issuer
   * option `dpop`). No proof (`proof: undefined`) is a Bearer request.
   */
  dpop?: DpopTokenRequest;
}

/**
 * A successful token response (RFC 6749 §5.1). Send it with `Cache-Control: no-store`.
 *
 * @example
 * const pair: TokenResponse = await tokens.issueTokens(user.id, { scope: 'read' });
 * res.set('Cache-Control', 'no-store').json(pair);
 */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  /** `DPoP` when the access token is bound to the request's DPoP key (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  /** Access token lifetime in seconds. */
  expires_in: number;
}

/**
 * Issues and rotates tokens; build one per application.
 *
 * @example
 * const tokens: TokenIssuer = createTokenIssuer({ issuer, audience: 'api', keys: ring });
 * const pair = await tokens.refresh(req.body?.refresh_token);
 */
export interface TokenIssuer {
  /**
   * Start a refresh-token family for `subject` (at login) and return the first pair. `claims`
   * are deep-copied and go into every access token of the family; `iss`, `sub`, `aud`, `jti`,
   * `iat`, `exp`, `nbf` and `cnf` are the issuer's (each access token gets a fresh `jti`), so
   * giving one is a `TypeError`. With a valid DPoP proof in `options.dpop`, the access token carries
   * `cnf: { jkt }` and the family is bound to the proof's key.
   */
  issueTokens(
    subject: string,
    claims?: Record<string, unknown>,
    options?: TokenRequestOptions,
  ): Promise<TokenResponse>;
  /**
   * Exchange a refresh token for a new pair; the old one stops working. A DPoP-bound family
   * needs a proof by its key, checked before the rotation (`RefreshTokenBindingError`
   * otherwise). A proof with a family that is not bound binds the new access token only.
   */
  refresh(refreshToken: string, options?: TokenRequestOptions): Promise<TokenResponse>;
  /**
   * The current DPoP nonce for the `DPoP-Nonce` header of a token response (RFC 9449 §8.2);
   * `undefined` without `dpop.nonce`.
   */
  dpopNonce(): Promise<string | undefined>;
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
  'dpop',
];

// Set by the issuer on every access token. A caller's `jti` would be copied into every token
// of the family (RFC 7519 §4.1.7 wants it unique), and a caller's `cnf` would claim a key
// binding no proof backs (RFC 7800 §3.1), so these are refused rather than ignored.
const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'jti', 'iat', 'exp', 'nbf', 'cnf'];

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

// A store that fails (its database down, a timeout) says nothing about the token: the client
// must keep it and retry (503, `temporarily_unavailable`), not drop it as `invalid_grant`. A
// store's own tokengate error (e.g. `RedisUnavailableError`) is kept as it is.
function storeFailuresAsUnavailable(store: RefreshTokenStore): RefreshTokenStore {
  const guard = <T>(call: () => Promise<T>): Promise<T> =>
    Promise.resolve()
      .then(call)
      .catch((cause: unknown) => {
        // A TypeError is a misuse (a record the store refuses), not an outage.
        if (cause instanceof TypeError) throw cause;
        throw StoreUnavailableError.from(cause, 'The refresh token store is unavailable');
      });
  return {
    insert: (hash, record) => guard(() => store.insert(hash, record)),
    get: (hash) => guard(() => store.get(hash)),
    rotate: (hash, next, now) => guard(() => store.rotate(hash, next, now)),
    revokeFamily: (familyId) => guard(() => store.revokeFamily(familyId)),
  };
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
  const store = storeFailuresAsUnavailable(options.store ?? new MemoryRefreshTokenStore());
  const proofs = createTokenRequestProofs(options.dpop);
  const { issuer, audience } = options;

  // RFC 9449 §6.1: the access token names the proof's key by its thumbprint.
  const accessToken = (subject: string, claims: Record<string, unknown>, jkt?: string) =>
    sign(jkt === undefined ? claims : { ...claims, cnf: { jkt } }, {
      key: ring,
      issuer,
      audience,
      subject,
      expiresIn: accessTtl,
      typ: options.accessTokenTyp ?? 'at+jwt',
      encryptTo: options.encryptTo,
    });

  const newRefresh = async (family: Omit<RefreshTokenRecord, 'expiresAt'>) => {
    const token = randomId(32);
    const record: RefreshTokenRecord = { ...family, expiresAt: Date.now() + refreshTtlMs };
    if (record.jkt === undefined) delete record.jkt;
    return { token, hash: await hashToken(token), record };
  };

  const respond = async (
    subject: string,
    claims: Record<string, unknown>,
    refreshToken: string,
    jkt: string | undefined,
  ): Promise<TokenResponse> => ({
    access_token: await accessToken(subject, claims, jkt),
    refresh_token: refreshToken,
    token_type: jkt === undefined ? 'Bearer' : 'DPoP',
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
      // Without a grace interval every reuse revokes, including one whose clock reading came
      // before the winning rotation's (another instance, or this one a moment later).
      if (reuseMs > 0 && current.rotatedAt !== undefined && now - current.rotatedAt < reuseMs) {
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
    dpopNonce: () => proofs.nonce(),
    async issueTokens(subject, given = {}, request = {}) {
      if (typeof subject !== 'string' || !subject)
        throw new TypeError('"subject" must be a non-empty string');
      const claims = ownClaims(given);
      const jkt = await proofs.check(request.dpop);
      // Sign first: bad claims fail before anything is stored.
      const response = await respond(subject, claims, '', jkt);
      // RFC 9449 §5: the refresh tokens of a DPoP login are bound to the same key.
      const next = await newRefresh({ familyId: randomId(), subject, claims, jkt });
      await store.insert(next.hash, next.record);
      return { ...response, refresh_token: next.token };
    },
    async refresh(refreshToken, request = {}) {
      const hash = await lookupHash(refreshToken);
      const jkt = await proofs.check(request.dpop);
      const found = await store.get(hash);
      if (!found) throw new InvalidRefreshTokenError('unknown');
      checkRefreshBinding(found.jkt, jkt);
      const { familyId, subject, claims } = found;
      const next = await newRefresh({ familyId, subject, claims, jkt: found.jkt });
      const now = Date.now();
      const result = await store.rotate(hash, { hash: next.hash, record: next.record }, now);
      if (!result.ok) return refuse(result.current, now);
      return respond(result.previous.subject, result.previous.claims, next.token, jkt);
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
