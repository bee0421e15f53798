import type { Algorithm, TokenClaimsConfig } from '../tokens.js';
import type { WireFixture } from './wire.js';

// Web Crypto's names for each JWS algorithm: how its key is imported and how it verifies.
const WEB_CRYPTO: Record<
  Algorithm,
  { key: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm; verify: unknown }
> = {
  HS256: { key: { name: 'HMAC', hash: 'SHA-256' }, verify: 'HMAC' },
  RS256: { key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: 'RSASSA-PKCS1-v1_5' },
  ES256: {
    key: { name: 'ECDSA', namedCurve: 'P-256' },
    verify: { name: 'ECDSA', hash: 'SHA-256' },
  },
  EdDSA: { key: { name: 'Ed25519' } as unknown as Algorithm, verify: 'Ed25519' },
};

/**
 * The fixture's key imported once into a `CryptoKey` for verification.
 *
 * @example
 * const key = await importVerifyKey(fixture);
 */
export async function importVerifyKey(fixture: WireFixture): Promise<CryptoKey> {
  const { key } = WEB_CRYPTO[fixture.alg];
  if (fixture.secret) {
    return crypto.subtle.importKey(
      'raw',
      decodeBase64url(fixture.secret),
      key as HmacImportParams,
      false,
      ['verify'],
    );
  }
  // The key's `kid`/`alg`/`use` are JOSE's, not Web Crypto's: leave them out of the import.
  const {
    kid: _kid,
    alg: _alg,
    use: _use,
    ...jwk
  } = fixture.publicJwk as JsonWebKey & { kid?: string; use?: string };
  return crypto.subtle.importKey('jwk', jwk, key as RsaHashedImportParams, false, ['verify']);
}

/**
 * Decode unpadded base64url (what JWS segments are) into bytes.
 *
 * @example
 * decodeBase64url('aGk'); // Uint8Array [104, 105]
 */
export function decodeBase64url(segment: string): Uint8Array<ArrayBuffer> {
  const binary = atob(segment.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const utf8 = new TextDecoder();
const ascii = new TextEncoder();
const decodeJson = (segment: string): Record<string, unknown> =>
  JSON.parse(utf8.decode(decodeBase64url(segment)));

/** A signing input and its signature, split and decoded ahead of time. */
export interface WebSignedParts {
  data: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

/**
 * Split and decode a token once, so that the "subtle.verify alone" contender times the
 * signature check and nothing else.
 *
 * @example
 * const parts = splitWebToken(token); // { data, signature }
 */
export function splitWebToken(token: string): WebSignedParts {
  const dot = token.lastIndexOf('.');
  return {
    data: ascii.encode(token.slice(0, dot)),
    signature: decodeBase64url(token.slice(dot + 1)),
  };
}

/**
 * This runtime's `crypto.subtle.verify` on a pre-split token: the least any Web Crypto verifier
 * can cost. Rejects when the signature does not hold.
 *
 * @example
 * const check = await createSubtleCheck(fixture); await check(splitWebToken(fixture.one));
 */
export async function createSubtleCheck(
  fixture: WireFixture,
): Promise<(parts: WebSignedParts) => Promise<true>> {
  const key = await importVerifyKey(fixture);
  const { verify } = WEB_CRYPTO[fixture.alg];
  return async ({ data, signature }) => {
    if (!(await crypto.subtle.verify(verify as AlgorithmIdentifier, key, signature, data))) {
      throw new Error('bad signature');
    }
    return true;
  };
}

/**
 * The floor for a verifier on Web Crypto: split, base64url + JSON decode, `alg` check,
 * `crypto.subtle.verify` with a key imported once, `exp`/`iss`/`aud`. No error mapping, no key
 * lookup, no policy options: the least a real verifier does on this runtime.
 *
 * @example
 * const verify = await createWebFloorVerifier(fixture, claims); const payload = await verify(token);
 */
export async function createWebFloorVerifier(
  fixture: WireFixture,
  claims: TokenClaimsConfig,
): Promise<(token: string) => Promise<Record<string, unknown>>> {
  const key = await importVerifyKey(fixture);
  const { verify } = WEB_CRYPTO[fixture.alg];
  return async (token) => {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw new Error('malformed');
    }
    const header = decodeJson(token.slice(0, first));
    if (header.alg !== fixture.alg) throw new Error('alg');
    const payload = decodeJson(token.slice(first + 1, second));
    const data = ascii.encode(token.slice(0, second));
    const signature = decodeBase64url(token.slice(second + 1));
    if (!(await crypto.subtle.verify(verify as AlgorithmIdentifier, key, signature, data))) {
      throw new Error('signature');
    }
    if (typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000) throw new Error('exp');
    if (payload.iss !== claims.issuer) throw new Error('iss');
    const aud = payload.aud;
    if (aud !== claims.audience && !(Array.isArray(aud) && aud.includes(claims.audience))) {
      throw new Error('aud');
    }
    return payload;
  };
}
