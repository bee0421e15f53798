// Bad-input table, part 2 (RFC 7515 §7.1, RFC 7519 §4.1): malformed compact syntax and refused claims, then
// random mutations and garbage. Each input maps to a typed 401.
import { CompactSign, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  InvalidClaimError,
  MalformedTokenError,
  TokenExpiredError,
  TokenNotYetValidError,
} from './errors.js';
import {
  alphabet,
  describeBadInputTable,
  type Row,
  secretVerifier,
  segments,
} from './test-support/bad-input.js';
import { AUDIENCE, b64, claims, hs256, ISSUER, NOW, SECRET } from './test-support/tokens.js';

const rows: Row[] = [
  {
    name: 'two segments',
    token: async () =>
      segments(await hs256())
        .slice(0, 2)
        .join('.'),
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'four segments',
    token: async () => `${await hs256()}.AAAA`,
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'five segments (a JWE) without decryption keys',
    token: async () => `${await hs256()}.AAAA.AAAA`,
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'non-base64url characters',
    token: async () => (await hs256()).replace('.', '+.'),
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: '= padding',
    token: async () => `${await hs256()}=`,
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'non-canonical last character of the signature',
    token: async () => {
      const token = await hs256(); // a 32-byte MAC: the last of 43 characters has 2 unused bits
      const last = alphabet[alphabet.indexOf(token.at(-1) as string) ^ 1] as string;
      return token.slice(0, -1) + last;
    },
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'header that is a JSON array',
    token: async () =>
      `${b64(['HS256'])}.${segments(await hs256())[1]}.${segments(await hs256())[2]}`,
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'payload that is not JSON',
    token: async () =>
      `${segments(await hs256())[0]}.${b64('not json')}.${segments(await hs256())[2]}`,
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'crit with an unknown extension',
    token: () =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
        .setProtectedHeader({ alg: 'HS256', crit: ['urn:x-ext'], 'urn:x-ext': true })
        .sign(new TextEncoder().encode(SECRET), { crit: { 'urn:x-ext': true } }),
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'oversized token',
    token: () => hs256({ pad: 'x'.repeat(9000) }),
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'expired',
    token: () => hs256({ exp: NOW - 60 }),
    error: TokenExpiredError,
    code: 'ERR_TOKEN_EXPIRED',
  },
  {
    name: 'not yet valid',
    token: () => hs256({ nbf: NOW + 60 }),
    error: TokenNotYetValidError,
    code: 'ERR_TOKEN_NOT_YET_VALID',
  },
  {
    name: 'wrong issuer',
    token: () => hs256({ iss: 'https://evil.example/' }),
    error: InvalidClaimError,
    code: 'ERR_CLAIM_INVALID',
    claim: 'iss',
  },
  {
    name: 'wrong audience',
    token: () => hs256({ aud: 'other' }),
    error: InvalidClaimError,
    code: 'ERR_CLAIM_INVALID',
    claim: 'aud',
  },
  {
    name: 'missing exp',
    token: () =>
      new SignJWT({ iss: ISSUER, aud: AUDIENCE })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(SECRET)),
    error: InvalidClaimError,
    code: 'ERR_CLAIM_INVALID',
    claim: 'exp',
  },
  {
    name: 'string exp',
    token: () => hs256({ exp: String(NOW + 600) as never }),
    error: InvalidClaimError,
    code: 'ERR_CLAIM_INVALID',
    claim: 'exp',
  },
];

describeBadInputTable('malformed tokens and refused claims', rows);

describe('mutated tokens', () => {
  it('rejects every single-character mutation of a valid token with a typed 401', async () => {
    const verifier = secretVerifier();
    const token = await hs256();
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // deterministic, so failures replay
      return seed;
    };
    const chars = `${alphabet}.=+/ \u00e9`;
    for (let i = 0; i < 300; i++) {
      const at = next() % token.length;
      const mutated = token.slice(0, at) + chars[next() % chars.length] + token.slice(at + 1);
      if (mutated === token) continue;
      const error = await verifier.verify(mutated).catch((e: unknown) => e);
      expect(error, mutated).toMatchObject({ status: 401, bearerError: 'invalid_token' });
    }
  });

  it('rejects garbage of every shape with a typed 401', async () => {
    const verifier = secretVerifier();
    const inputs = [
      '',
      '.',
      '..',
      '...',
      '....',
      'a.b.c',
      'e30.e30.',
      'e30.e30.e30',
      'bnVsbA.e30.',
      'W10.e30.',
      `${b64({ alg: 'HS256' })}.bnVsbA.`,
      `${b64({ alg: 'HS256' })}.${b64([1])}.`,
      `${b64({ alg: 1 })}.e30.`,
      `${b64({ alg: 'HS256', crit: [] })}.e30.`,
      `${b64({ alg: 'HS256', b64: false })}.e30.`,
    ];
    for (const input of inputs) {
      const error = await verifier.verify(input).catch((e: unknown) => e);
      expect(error, input).toMatchObject({ status: 401, bearerError: 'invalid_token' });
    }
  });
});
