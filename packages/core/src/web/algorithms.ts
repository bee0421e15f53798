// The Web Crypto parameters of each JWS algorithm (RFC 7518 §3, RFC 8037), as jose uses them:
// one set to import a key with, one to verify with.

/**
 * How one JWS algorithm is checked with Web Crypto.
 *
 * @example
 * const spec: WebAlgorithm = WEB_ALGORITHMS.get('PS256'); // RSA-PSS, SHA-256, salt 32
 */
export interface WebAlgorithm {
  /** `secret` for HMAC, `public` for the signature algorithms. */
  readonly keyType: 'secret' | 'public';
  /** The algorithm a key must have been imported for (what jose checks on a CryptoKey). */
  readonly key: { readonly name: string; readonly hash?: string; readonly namedCurve?: string };
  /** The parameters of `crypto.subtle.verify`. */
  readonly verify: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  /** Smallest RSA modulus jose accepts (RFC 7518 §3.3, §3.5). */
  readonly minRsaBits?: number;
}

// HMAC, RSA and Ed25519 keys carry their hash, so `verify` needs only the name (the least
// for the runtime to normalise on every call).
const hmac = (bits: number): WebAlgorithm => ({
  keyType: 'secret',
  key: { name: 'HMAC', hash: `SHA-${bits}` },
  verify: 'HMAC',
});
const rsa = (bits: number, saltLength?: number): WebAlgorithm => {
  const key = { name: saltLength ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${bits}` };
  // RSA-PSS: the salt is as long as the hash (RFC 7518 §3.5).
  const verify = saltLength ? { name: key.name, saltLength } : key.name;
  return { keyType: 'public', key, verify, minRsaBits: 2048 };
};
const ecdsa = (bits: number, namedCurve: string): WebAlgorithm => ({
  keyType: 'public',
  key: { name: 'ECDSA', namedCurve },
  // JWS carries ECDSA signatures as r || s, the form Web Crypto verifies (RFC 7518 §3.4).
  verify: { name: 'ECDSA', hash: `SHA-${bits}` },
});

/**
 * The algorithms the Web engine checks with `crypto.subtle.verify`, by JWS `alg`.
 *
 * @example
 * WEB_ALGORITHMS.get('ES384'); // { keyType: 'public', key: { name: 'ECDSA', namedCurve: 'P-384' }, … }
 */
export const WEB_ALGORITHMS: ReadonlyMap<string, WebAlgorithm> = new Map([
  ['HS256', hmac(256)],
  ['HS384', hmac(384)],
  ['HS512', hmac(512)],
  ['RS256', rsa(256)],
  ['RS384', rsa(384)],
  ['RS512', rsa(512)],
  ['PS256', rsa(256, 32)],
  ['PS384', rsa(384, 48)],
  ['PS512', rsa(512, 64)],
  ['ES256', ecdsa(256, 'P-256')],
  ['ES384', ecdsa(384, 'P-384')],
  ['ES512', ecdsa(512, 'P-521')],
  ['EdDSA', { keyType: 'public', key: { name: 'Ed25519' }, verify: 'Ed25519' }],
]);
