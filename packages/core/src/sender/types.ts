// The options and store interfaces of sender-constrained tokens: DPoP (RFC 9449) and
// certificate-bound tokens (RFC 8705), and the proxy trust both rely on.
import type { Duration } from '../options.js';

/**
 * Atomic one-time claims: how DPoP proofs are kept from being replayed (RFC 9449 §11.1).
 * `claim` must be atomic: of two concurrent calls with the same key, exactly one resolves
 * `true` (a read followed by a write is not enough). Keys are opaque strings of at most a few
 * hundred characters; a claimed key may be forgotten once `expiresAt` has passed.
 *
 * @example
 * const store: ReplayStore = { claim: (key, expiresAt) => redis.set(key, '1', { NX: true, PXAT: expiresAt }).then(Boolean) };
 */
export interface ReplayStore {
  /**
   * Claim `key` until `expiresAt` (milliseconds since the epoch): `true` when this call
   * claimed it, `false` when it was already claimed and has not expired.
   */
  claim(key: string, expiresAt: number): boolean | Promise<boolean>;
}

/**
 * Stateless server nonces (RFC 9449 §8, §9): an HMAC over a time step, so any instance that
 * shares the secret accepts the nonces of the others, with nothing stored.
 *
 * @example
 * const nonce: DpopNonceOptions = { secret: process.env.DPOP_NONCE_SECRET!, lifetime: '5m' };
 */
export interface DpopNonceOptions {
  /** The HMAC key: at least 32 bytes (a string is taken as its UTF-8 bytes). */
  secret: string | Uint8Array;
  /**
   * How long one nonce is current; the previous one is still accepted, and a proof carrying it
   * gets the current one in the response's `DPoP-Nonce`. Default 5 minutes.
   */
  lifetime?: Duration;
}

/**
 * How DPoP (RFC 9449) is checked.
 *
 * @example
 * const dpop: DpopOptions = { mode: 'required', origin: 'https://api.example.com' };
 */
export interface DpopOptions {
  /**
   * `'allowed'`: Bearer and DPoP are both accepted (a DPoP-bound token is still refused as
   * Bearer, RFC 9449 §7.2). `'required'`: only DPoP. Default `'allowed'`.
   */
  mode?: 'allowed' | 'required';
  /**
   * The public origin(s) of this API (`https://api.example.com`), from which the proof's
   * `htu` is computed with the request path. Required unless `trustProxy` is set: the `Host`
   * header alone is the client's to choose.
   */
  origin?: string | string[];
  /** Proof `alg` allow-list (asymmetric only). Default ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512, EdDSA, Ed25519. */
  algorithms?: string[];
  /** How old a proof's `iat` may be, seconds or `'5m'`. Default 5 minutes. */
  maxAge?: Duration;
  /** Require server nonces. Default: none. */
  nonce?: DpopNonceOptions;
  /**
   * Where used proofs are remembered. Default: in memory, per process, bounded. Share one
   * (Redis) between instances behind a load balancer.
   */
  replayStore?: ReplayStore;
}

/**
 * How a proxy passes the client certificate it verified:
 * - `'client-cert'`: RFC 9440 `Client-Cert: :<base64 DER>:`;
 * - `'x-forwarded-client-cert'`: Envoy's `x-forwarded-client-cert` (its `Cert` or `Hash`);
 * - `{ name, format: 'pem' }`: a URL-escaped PEM in the named header (nginx
 *   `$ssl_client_escaped_cert`).
 *
 * @example
 * const header: CertificateHeader = { name: 'x-ssl-client-cert', format: 'pem' };
 */
export type CertificateHeader =
  | 'client-cert'
  | 'x-forwarded-client-cert'
  | { name: string; format: 'pem' };

/**
 * How certificate-bound access tokens (RFC 8705 §3) are checked.
 *
 * @example
 * const mtls: MtlsOptions = { mode: 'required', certificateHeader: 'client-cert' };
 */
export interface MtlsOptions {
  /**
   * `'allowed'`: a token with `cnf["x5t#S256"]` must come with the matching client
   * certificate; unbound tokens are accepted. `'required'`: every token must be
   * certificate-bound. Default `'allowed'`.
   */
  mode?: 'allowed' | 'required';
  /**
   * Read the client certificate from this header of a trusted proxy (`trustProxy`) instead of
   * the TLS connection. From any other peer the header is ignored. Default: the TLS connection.
   */
  certificateHeader?: CertificateHeader;
}

/**
 * Which peers are proxies whose forwarded headers (`Forwarded`, `X-Forwarded-Proto`,
 * `X-Forwarded-Host`, the client certificate header) are believed: `true` for any peer (only
 * where nothing but the proxy can reach the app), a list of peer addresses, or a function of
 * the peer address (Express's `app.get('trust proxy fn')` and `proxy-addr`'s `compile()` fit).
 *
 * @example
 * const trustProxy: TrustProxy = ['127.0.0.1', '::1'];
 */
export type TrustProxy = boolean | readonly string[] | ((address: string, hop: number) => boolean);
