// A DPoP client key for tests (RFC 9449 §4): proofs for a method, a URL and an access token,
// with every field overridable so that a test can also make the proofs an API must refuse.
import {
  base64url,
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';

/**
 * What a proof says, beyond what {@link DpopKey.proof} derives from the request.
 *
 * @example
 * await key.proof('GET', url, { accessToken, nonce, iat: now - 3600 }); // a stale proof
 */
export interface DpopProofOverrides {
  /** The access token the proof is for; its hash becomes `ath`. Default: no `ath` (a token endpoint). */
  accessToken?: string;
  /** The server nonce (`DPoP-Nonce`). Default: none. */
  nonce?: string;
  /** `iat` in seconds since the epoch. Default: now. */
  iat?: number;
  /** `jti`. Default: a fresh random value. */
  jti?: string;
  /** `ath` as given, instead of the hash of `accessToken`. */
  ath?: string;
  /** Extra or replaced protected-header fields (`typ`, `jwk`); `undefined` removes one. */
  header?: Record<string, unknown>;
}

/**
 * A DPoP key pair: its thumbprint (the `cnf.jkt` to bind a token to) and a proof maker.
 *
 * @example
 * const key = await createDpopKey();
 * const token = await issuer.mint({ cnf: { jkt: key.jkt } });
 * const proof = await key.proof('GET', 'http://127.0.0.1:3000/me', { accessToken: token });
 */
export interface DpopKey {
  /** RFC 7638 SHA-256 thumbprint of the public key. */
  readonly jkt: string;
  /** The public key, as it goes in the proof's header. */
  readonly publicJwk: JWK;
  /** The signing algorithm. */
  readonly alg: string;
  /** A signed proof for `method` and `url` (its query and fragment are left out of `htu`). */
  proof(method: string, url: string | URL, overrides?: DpopProofOverrides): Promise<string>;
}

const htuOf = (url: string | URL): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

/**
 * Generate a DPoP key (ES256 unless told otherwise).
 *
 * @example
 * const key = await createDpopKey('EdDSA');
 */
export async function createDpopKey(
  alg: 'ES256' | 'ES384' | 'PS256' | 'RS256' | 'EdDSA' = 'ES256',
): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
  return Object.freeze({
    jkt,
    publicJwk,
    alg,
    proof: (method: string, url: string | URL, overrides: DpopProofOverrides = {}) =>
      signProof(privateKey, alg, publicJwk, method, url, overrides),
  });
}

async function signProof(
  key: CryptoKey,
  alg: string,
  jwk: JWK,
  method: string,
  url: string | URL,
  o: DpopProofOverrides,
): Promise<string> {
  const ath =
    o.ath ??
    (o.accessToken === undefined
      ? undefined
      : base64url.encode(
          new Uint8Array(
            await crypto.subtle.digest('SHA-256', new TextEncoder().encode(o.accessToken)),
          ),
        ));
  const claims: Record<string, unknown> = {
    htm: method,
    htu: htuOf(url),
    jti: o.jti ?? crypto.randomUUID(),
    iat: o.iat ?? Math.floor(Date.now() / 1000),
  };
  if (ath !== undefined) claims.ath = ath;
  if (o.nonce !== undefined) claims.nonce = o.nonce;
  const header: Record<string, unknown> = { alg, typ: 'dpop+jwt', jwk, ...o.header };
  for (const name of Object.keys(header)) if (header[name] === undefined) delete header[name];
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
}
