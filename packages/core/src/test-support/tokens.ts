// Test helpers: keys, signed tokens, hand-assembled tokens and request views.
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import type { TokenRequest } from '../types.js';

export const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long!';
export const SECRET_BYTES = new TextEncoder().encode(SECRET);
export const ISSUER = 'https://issuer.example.com/';
export const AUDIENCE = 'api://tokengate';
/** 2026-01-01T00:00:00Z, the frozen "now" of the tests. */
export const NOW = 1_767_225_600;

/** Standard valid claims at {@link NOW}. */
export function claims(extra: JWTPayload = {}): JWTPayload {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: NOW, exp: NOW + 600, ...extra };
}

/** Sign claims with a key and alg (header extras merged). */
export async function sign(
  payload: JWTPayload,
  key: Parameters<SignJWT['sign']>[0],
  alg = 'HS256',
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key);
}

/** HS256 token with the shared test secret. */
export const hs256 = (extra: JWTPayload = {}, header: Record<string, unknown> = {}) =>
  sign(claims(extra), SECRET_BYTES, 'HS256', header);

const enc = new TextEncoder();
/** base64url of a JSON value (or raw text when a string). */
export const b64 = (value: unknown) =>
  base64url.encode(enc.encode(typeof value === 'string' ? value : JSON.stringify(value)));

/** Assemble a token from raw parts, no signing. */
export const raw = (header: unknown, payload: unknown, signature = '') =>
  `${b64(header)}.${b64(payload)}.${signature}`;

export interface KeyPairs {
  rsa: { privateKey: CryptoKey; publicKey: CryptoKey; pem: string; jwk: JWK };
  ec: { privateKey: CryptoKey; publicKey: CryptoKey; pem: string; jwk: JWK };
  ed: { privateKey: CryptoKey; publicKey: CryptoKey; pem: string; jwk: JWK };
}

let pairs: Promise<KeyPairs> | undefined;

async function pair(alg: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    privateKey,
    publicKey,
    pem: await exportSPKI(publicKey),
    jwk: await exportJWK(publicKey),
  };
}

/** RSA, P-256 and Ed25519 key pairs, generated once per test file. */
export function keyPairs(): Promise<KeyPairs> {
  pairs ??= (async () => ({
    rsa: await pair('RS256'),
    ec: await pair('ES256'),
    ed: await pair('EdDSA'),
  }))();
  return pairs;
}

/** A request view from plain headers / cookies / query (arrays for repeated values). */
export function request(
  headers: Record<string, string | string[]> = {},
  cookies: Record<string, string> = {},
  query: Record<string, string | string[]> = {},
): TokenRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    header: (name) => lower[name.toLowerCase()],
    cookie: (name) => cookies[name],
    query: (name) => query[name],
  };
}

/** Bearer request for a token. */
export const bearer = (token: string) => request({ authorization: `Bearer ${token}` });
