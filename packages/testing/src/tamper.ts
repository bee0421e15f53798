import { base64url } from 'jose';

/*
 * Forgeries for negative tests: each helper takes a validly signed compact JWS and returns a
 * token that a correct verifier must refuse. Pure string work through jose's base64url, so
 * they run on any runtime.
 */

function split(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TypeError('Expected a compact JWS with three segments');
  return parts as [string, string, string];
}

/**
 * Flip one bit of the signature (the bytes stay valid base64url): a bad signature.
 *
 * @example
 * const forged = flipSignatureBit(await issuer.mint());
 */
export function flipSignatureBit(token: string, byteIndex = 0): string {
  const [h, p, s] = split(token);
  const sig = base64url.decode(s);
  sig[byteIndex % sig.length]! ^= 0x01;
  return `${h}.${p}.${base64url.encode(sig)}`;
}

/**
 * Cut the signature to `bytes` bytes (default: half of it): a bad signature.
 *
 * @example
 * const forged = truncateSignature(await issuer.mint());
 */
export function truncateSignature(token: string, bytes?: number): string {
  const [h, p, s] = split(token);
  const sig = base64url.decode(s);
  return `${h}.${p}.${base64url.encode(sig.slice(0, bytes ?? Math.floor(sig.length / 2)))}`;
}

/**
 * Replace the signature with `length` zero bytes (CVE-2022-21449, "psychic signatures").
 *
 * @example
 * const forged = zeroSignature(await issuer.mint({}, { alg: 'ES256' }), 64);
 */
export function zeroSignature(token: string, length = 64): string {
  const [h, p] = split(token);
  return `${h}.${p}.${base64url.encode(new Uint8Array(length))}`;
}

/**
 * Add base64 `=` padding to the signature segment (still the same bytes; a JWS has exactly one
 * string form, so this must be refused as malformed). Pads with `'='` when no padding is due.
 *
 * @example
 * const forged = padSignature(await issuer.mint());
 */
export function padSignature(token: string): string {
  const [h, p, s] = split(token);
  const pad = '='.repeat((4 - (s.length % 4)) % 4 || 1);
  return `${h}.${p}.${s}${pad}`;
}

/**
 * Rewrite the signature segment in the standard base64 alphabet (`+`, `/`) instead of base64url.
 * Returns `undefined` when the signature has no `-` or `_` to rewrite.
 *
 * @example
 * const forged = standardBase64Signature(await issuer.mint());
 */
export function standardBase64Signature(token: string): string | undefined {
  const [h, p, s] = split(token);
  if (!/[-_]/.test(s)) return undefined;
  return `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`;
}

/**
 * Replace the protected header with arbitrary JSON text (e.g. `'["RS256"]'`), keeping payload
 * and signature.
 *
 * @example
 * const forged = replaceHeader(await issuer.mint(), '["RS256"]');
 */
export function replaceHeader(token: string, headerJson: string): string {
  const [, p, s] = split(token);
  return `${base64url.encode(headerJson)}.${p}.${s}`;
}

/**
 * Replace the payload with arbitrary text (e.g. not JSON), keeping header and signature.
 *
 * @example
 * const forged = replacePayload(await issuer.mint(), 'not json');
 */
export function replacePayload(token: string, payloadText: string): string {
  const [h, , s] = split(token);
  return `${h}.${base64url.encode(payloadText)}.${s}`;
}

/**
 * Return the token with `count` segments (2: drop the signature; 4 or 5: append segments).
 *
 * @example
 * withSegments(await issuer.mint(), 2); // 'header.payload'
 */
export function withSegments(token: string, count: number): string {
  const parts = split(token);
  if (count <= 3) return parts.slice(0, Math.max(1, count)).join('.');
  const extra = Array.from({ length: count - 3 }, () => base64url.encode('x'));
  return [...parts, ...extra].join('.');
}
