// The bad-input table of issue 2: each row maps one hostile or broken token to its error.
import { base64url, CompactSign, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidClaimError,
  InvalidSignatureError,
  MalformedTokenError,
  TokenExpiredError,
  TokenNotYetValidError,
  UnsupportedAlgorithmError,
} from './errors.js';
import {
  AUDIENCE,
  b64,
  claims,
  hs256,
  ISSUER,
  keyPairs,
  NOW,
  raw,
  SECRET,
  sign,
} from './test-support/tokens.js';
import { createVerifier, type Verifier } from './verifier.js';

type ErrorClass = abstract new (...args: never[]) => Error;
interface Row {
  name: string;
  token: () => Promise<string>;
  error: ErrorClass;
  code: string;
  claim?: string;
  verifier?: () => Promise<Verifier>;
}

const secretVerifier = () => createVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
const rsaVerifier = async () =>
  createVerifier({ keys: (await keyPairs()).rsa.pem, issuer: ISSUER });
const jwksVerifier = async () =>
  createVerifier({ jwksUri: 'https://id.example.com/jwks', issuer: ISSUER });
const ecVerifier = async () => createVerifier({ keys: (await keyPairs()).ec.jwk, issuer: ISSUER });

const segments = (token: string) => token.split('.') as [string, string, string];
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

async function withSignature(mutate: (sig: Uint8Array) => Uint8Array): Promise<string> {
  const [h, p, s] = segments(await hs256());
  return `${h}.${p}.${base64url.encode(mutate(base64url.decode(s)))}`;
}

const rows: Row[] = [
  {
    name: 'alg none without a signature',
    token: async () => raw({ alg: 'none' }, claims()),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
  },
  {
    name: 'alg none with a signature',
    token: async () =>
      `${b64({ alg: 'none', typ: 'JWT' })}.${segments(await hs256())[1]}.${segments(await hs256())[2]}`,
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
  },
  {
    name: 'HS256 signed with the RSA public key PEM as the HMAC secret',
    token: async () =>
      sign(claims(), new TextEncoder().encode((await keyPairs()).rsa.pem), 'HS256'),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
    verifier: rsaVerifier,
  },
  {
    name: 'HS256 signed with the RSA public key, against a remote JWKS (nothing fetched)',
    token: async () =>
      sign(claims(), new TextEncoder().encode((await keyPairs()).rsa.pem), 'HS256'),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
    verifier: jwksVerifier,
  },
  {
    name: 'alg none against a remote JWKS (nothing fetched)',
    token: async () => raw({ alg: 'none' }, claims()),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
    verifier: jwksVerifier,
  },
  {
    name: 'a forged issuer against a remote JWKS (nothing fetched)',
    token: async () =>
      sign(claims({ iss: 'https://evil.example/' }), (await keyPairs()).rsa.privateKey, 'RS256', {
        jku: 'https://evil.example/jwks',
      }),
    error: InvalidClaimError,
    code: 'ERR_CLAIM_INVALID',
    claim: 'iss',
    verifier: jwksVerifier,
  },
  {
    name: 'embedded jwk header of the attacker key',
    token: async () => {
      const attacker = await generateKeyPair('RS256', { extractable: true });
      const { exportJWK } = await import('jose');
      return sign(claims(), attacker.privateKey, 'RS256', {
        jwk: await exportJWK(attacker.publicKey),
      });
    },
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: rsaVerifier,
  },
  {
    name: 'jku, x5u and x5c headers pointing at attacker keys',
    token: async () => {
      const attacker = await generateKeyPair('RS256');
      return sign(claims(), attacker.privateKey, 'RS256', {
        jku: 'https://evil.example/jwks',
        x5u: 'https://evil.example/cert',
        x5c: ['MIIBfTCCASOgAwIBAgIU'],
      });
    },
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: rsaVerifier,
  },
  {
    name: 'a kid that is not a string',
    token: () => hs256({}, { kid: 7 }),
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'unknown kid',
    token: () => hs256({}, { kid: 'nope' }),
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: async () => createVerifier({ secret: { kid: 'k1', secret: SECRET }, issuer: ISSUER }),
  },
  {
    name: 'flipped signature bit',
    token: () => withSignature((s) => s.map((b, i) => (i === 5 ? b ^ 1 : b))),
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
  },
  {
    name: 'truncated signature',
    token: () => withSignature((s) => s.slice(0, 16)),
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
  },
  {
    name: 'ES256 signature of zeros',
    token: async () =>
      `${b64({ alg: 'ES256' })}.${b64(claims())}.${base64url.encode(new Uint8Array(64))}`,
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: ecVerifier,
  },
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

let fetchSpy: ReturnType<typeof vi.fn>;
beforeAll(async () => {
  await keyPairs();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  fetchSpy = vi.fn(async () => new Response('{}', { status: 500 }));
  vi.stubGlobal('fetch', fetchSpy);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('bad input table', () => {
  it.each(rows)('rejects $name with $code (401 invalid_token)', async (row) => {
    const verifier = row.verifier ? await row.verifier() : secretVerifier();
    const error = await verifier.verify(await row.token()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(row.error);
    expect(error).toMatchObject({ code: row.code, status: 401, bearerError: 'invalid_token' });
    if (row.claim) expect((error as InvalidClaimError).claim).toBe(row.claim);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

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
