import type { JWK } from 'jose';
import type { JWTClaims, ProtectedHeader } from '../types.js';

/**
 * A key jose can verify with: a Web Crypto key, raw secret bytes, or a Node KeyObject.
 *
 * @example
 * const key: VerificationKey = await importSPKI(pem, 'RS256');
 */
export type VerificationKey = CryptoKey | Uint8Array | { type: string; asymmetricKeyType?: string };

/**
 * A shared secret; several of them allow rotation (matched by `kid` when the token has one).
 *
 * @example
 * const secrets: SecretInput[] = [{ kid: '2026', secret: current }, { kid: '2025', secret: previous }];
 */
export type SecretInput = string | Uint8Array | { kid?: string; secret: string | Uint8Array };

/**
 * A static public key: PEM SPKI (`-----BEGIN PUBLIC KEY-----`), PEM X.509 certificate,
 * a public JWK, an inline JWK Set (`{ keys: [...] }`), or a CryptoKey / KeyObject.
 *
 * @example
 * createVerifier({ keys: [publicPem, { kty: 'EC', crv: 'P-256', x, y }], issuer, audience });
 */
export type StaticKeyInput = string | JWK | { keys: JWK[] } | CryptoKey | VerificationKey;

/**
 * An application-provided key lookup, called with the (unverified) header and claims.
 *
 * @example
 * const getKey: KeyResolver = async (header) => importJWK(await db.findKey(header.kid), header.alg);
 */
export type KeyResolver = (
  header: ProtectedHeader,
  claims: JWTClaims,
) => VerificationKey | Promise<VerificationKey>;

/**
 * Health of a key source, for dashboards and readiness probes.
 *
 * @example
 * const { state, keyCount } = source.health?.() ?? { state: 'fresh', keyCount: 0 };
 */
export interface KeySourceHealth {
  /** `fresh`: within max age; `stale`: serving the last good set after errors; `empty`: no keys. */
  state: 'fresh' | 'stale' | 'empty';
  /** Number of usable keys. */
  keyCount: number;
  /** Epoch ms of the last successful fetch, if remote. */
  lastFetchAt?: number;
  /** Why the last fetch failed, for people: the URL and the cause. Absent once a fetch succeeds. */
  lastError?: string;
  /** Why the last fetch failed, for code: the URL, a typed cause and since when. Absent once a fetch succeeds. */
  failure?: KeySourceFailure;
}

/**
 * Why a remote JWK Set or discovery fetch failed, typed. `dns`, `tls` and `network` carry the
 * runtime's error code (Node: `ENOTFOUND`, `EAI_AGAIN`, `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `ERR_TLS_CERT_ALTNAME_INVALID`, `ECONNREFUSED`) when it gives one.
 *
 * @example
 * if (cause.kind === 'http-status' && cause.status >= 500) page('identity provider down');
 */
export type KeySourceFailureCause =
  /** The server answered with a status other than 200 (and not a redirect). */
  | { kind: 'http-status'; status: number }
  /** The server answered with a redirect, which is never followed. */
  | { kind: 'redirect'; status: number; location?: string }
  /** No complete answer within `jwks.timeoutDuration`. */
  | { kind: 'timeout'; timeoutMs: number }
  /** The host name could not be resolved. */
  | { kind: 'dns'; code: string }
  /** The TLS handshake failed (untrusted, expired or mismatched certificate). */
  | { kind: 'tls'; code: string }
  /** The connection failed otherwise (refused, reset), or a custom `fetch` threw. */
  | { kind: 'network'; code?: string; message: string }
  /** The body is not a UTF-8 JSON object. */
  | { kind: 'not-json' }
  /** The body is larger than `jwks.maxResponseSize`. */
  | { kind: 'too-large'; limit: number }
  /** The JSON has no `keys` array. */
  | { kind: 'not-jwk-set' }
  /** The JWK Set holds no key usable for signature verification with the allowed algorithms. */
  | { kind: 'no-usable-key' }
  /** The discovery document names another issuer, no `jwks_uri`, or a `jwks_uri` not allowed. */
  | { kind: 'bad-discovery'; reason: 'issuer-mismatch' | 'no-jwks-uri' | 'jwks-uri-not-allowed' };

/**
 * A failing remote key source: which URL failed, why, and since when.
 *
 * @example
 * const { url, cause, since } = verifier.health().sources['https://id.example/'].failure ?? {};
 */
export interface KeySourceFailure {
  /** The URL that failed: the JWK Set's, or the discovery document's. */
  url: string;
  /** Why the last fetch failed. */
  cause: KeySourceFailureCause;
  /** Epoch ms of the first failed fetch since the source last worked. */
  since: number;
  /** Failed fetches in a row. */
  count: number;
}

/**
 * Health of a verifier's remote key sources, for dashboards and readiness probes.
 *
 * @example
 * app.get('/ready', (_req, res) => res.status(verifier.health().state === 'empty' ? 503 : 200).end());
 */
export interface VerifierHealth {
  /** The worst state among the remote key sources (`empty` < `stale` < `fresh`); `fresh` when there are none. */
  state: KeySourceHealth['state'];
  /**
   * Each remote key source's health, by issuer: the `issuers` entries (for a resolver, the
   * issuers it currently keeps), or the configured `issuer` of a single source (`default`
   * when none is configured). Secrets, static keys and `getKey` have no entry. A failing
   * source says why in `lastError` and `failure` (URL, typed cause, since when).
   */
  sources: Record<string, KeySourceHealth>;
}

/**
 * One source of verification keys with its algorithm allow-list (internal: the verifier
 * builds its sources from the options). The verifier asks it for the key of each token after
 * the header has passed the algorithm check.
 *
 * @example
 * const keys = await source.getKey(header, claims); // throws InvalidSignatureError when none fits
 */
export interface KeySource {
  /** The algorithms this source's keys may verify (never `none`). */
  readonly algorithms: readonly string[];
  /**
   * The candidate key(s) for a token. Throws `InvalidSignatureError` when no key matches
   * and `KeySetUnavailableError` when keys cannot be obtained.
   */
  getKey(header: ProtectedHeader, claims: JWTClaims): Promise<VerificationKey | VerificationKey[]>;
  /**
   * The same lookup without a promise, for keys already in memory, so that the request
   * protocol can answer a token without waiting when no step needs to. Returns `undefined`
   * when the answer needs asynchronous work (a first import, a fetch); the verifier then calls
   * {@link KeySource.getKey}. Throws as `getKey` rejects.
   *
   * @example
   * const keys = source.getKeyNow?.(header, claims) ?? (await source.getKey(header, claims));
   */
  getKeyNow?(header: ProtectedHeader, claims: JWTClaims): readonly VerificationKey[] | undefined;
  /** Health, for remote sources. */
  health?(): KeySourceHealth;
}

/**
 * The signature step for one candidate key: resolves when `key` verifies the compact JWS
 * `token` under `alg`, throws otherwise (a jose error or a `TokengateError`; the verifier maps
 * it). jose and Web Crypto by default; the `node` entry of `@tokengate/core` uses node:crypto.
 *
 * @example
 * const verifier: SignatureVerifier = { verify: (token, alg, key) => check(token, alg, key) };
 */
export interface SignatureVerifier {
  /** Check one key; may return synchronously (no promise) when the runtime allows it. */
  verify(token: string, alg: string, key: VerificationKey): void | Promise<void>;
}
