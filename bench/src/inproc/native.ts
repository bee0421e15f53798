import {
  createHmac,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { Fixture, TokenClaimsConfig } from '../tokens.js';

/** A signing input and its signature, split and decoded ahead of time. */
export interface SignedParts {
  data: Buffer;
  signature: Buffer;
}

function keyOf(fixture: Fixture): KeyObject {
  if (fixture.secret) return createSecretKey(fixture.secret);
  return createPublicKey(fixture.publicPem!);
}

/** One signature check with node:crypto for `alg`; returns whether it holds. */
function signatureChecker(fixture: Fixture): (data: Buffer, signature: Buffer) => boolean {
  const key = keyOf(fixture);
  switch (fixture.alg) {
    case 'HS256':
      return (data, signature) => {
        const mac = createHmac('sha256', key).update(data).digest();
        return mac.length === signature.length && timingSafeEqual(mac, signature);
      };
    case 'RS256':
      return (data, signature) => verify('sha256', data, key, signature);
    case 'ES256':
      return (data, signature) =>
        verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'EdDSA':
      return (data, signature) => verify(null, data, key, signature);
  }
}

/**
 * Split and decode a token once, so that the "limit" contender times the signature alone.
 *
 * @example
 * const parts = splitToken(token); // { data, signature }
 */
export function splitToken(token: string): SignedParts {
  const dot = token.lastIndexOf('.');
  return {
    data: Buffer.from(token.slice(0, dot)),
    signature: Buffer.from(token.slice(dot + 1), 'base64url'),
  };
}

/**
 * The physical limit: node:crypto checking a pre-decoded signature, nothing else.
 *
 * @example
 * const check = createLimitCheck(fixture); check(splitToken(fixture.one));
 */
export function createLimitCheck(fixture: Fixture): (parts: SignedParts) => true {
  const check = signatureChecker(fixture);
  return (parts) => {
    if (!check(parts.data, parts.signature)) throw new Error('bad signature');
    return true;
  };
}

const decodeJson = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

/**
 * The floor for any real verifier: split, base64url + JSON decode, `alg` check, node:crypto
 * signature check, `exp`/`iss`/`aud`. No error mapping, no key lookup, no policy options.
 *
 * @example
 * const verify = createFloorVerifier(fixture, claims); const payload = verify(token);
 */
export function createFloorVerifier(
  fixture: Fixture,
  claims: TokenClaimsConfig,
): (token: string) => Record<string, unknown> {
  const check = signatureChecker(fixture);
  return (token) => {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw new Error('malformed');
    }
    const header = decodeJson(token.slice(0, first));
    if (header.alg !== fixture.alg) throw new Error('alg');
    const payload = decodeJson(token.slice(first + 1, second));
    const signature = Buffer.from(token.slice(second + 1), 'base64url');
    if (!check(Buffer.from(token.slice(0, second)), signature)) throw new Error('signature');
    if (typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000) throw new Error('exp');
    if (payload.iss !== claims.issuer) throw new Error('iss');
    const aud = payload.aud;
    if (aud !== claims.audience && !(Array.isArray(aud) && aud.includes(claims.audience))) {
      throw new Error('aud');
    }
    return payload;
  };
}
