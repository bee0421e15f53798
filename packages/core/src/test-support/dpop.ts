// Test helpers for DPoP (RFC 9449): client keys and proofs, signed with jose the way a client
// library signs them, plus hand-assembled ones for the malformed cases.
import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';

/** A client's DPoP key pair, its public JWK and RFC 7638 thumbprint. */
export interface DpopKey {
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
  privateJwk: JWK;
  jkt: string;
}

/** A new extractable key pair for `alg`. */
export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    alg,
    privateKey,
    publicKey,
    jwk,
    privateJwk: await exportJWK(privateKey),
    jkt: await calculateJwkThumbprint(jwk, 'sha256'),
  };
}

/** base64url(SHA-256(token)): the `ath` of a proof for `token`. */
export async function athOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return base64url.encode(new Uint8Array(digest));
}

let counter = 0;

/** Claims and header members of a proof; `undefined` leaves a member out. */
export interface ProofParts {
  htm?: unknown;
  htu?: unknown;
  iat?: unknown;
  jti?: unknown;
  ath?: unknown;
  nonce?: unknown;
  /** Extra claims. */
  claims?: Record<string, unknown>;
  /** Header members replacing the defaults (`typ`, `alg`, `jwk`). */
  header?: Record<string, unknown>;
}

/**
 * A signed proof: `typ` dpop+jwt, the key's `alg` and public `jwk`, a fresh `jti`, `iat` now
 * (seconds, from the possibly frozen clock), and the given claims.
 */
export async function proof(key: DpopKey, parts: ProofParts): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: `jti-${++counter}-${Math.random().toString(36).slice(2)}`,
    iat: Math.floor(Date.now() / 1000),
    ...parts.claims,
  };
  for (const name of ['htm', 'htu', 'iat', 'jti', 'ath', 'nonce'] as const)
    if (name in parts) payload[name] = parts[name];
  for (const [name, value] of Object.entries(payload))
    if (value === undefined) delete payload[name];
  const header = { typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk, ...parts.header };
  for (const [name, value] of Object.entries(header))
    if (value === undefined) delete (header as Record<string, unknown>)[name];
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}
