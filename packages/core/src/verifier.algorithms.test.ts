import { base64url, exportJWK, generateKeyPair, generateSecret, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError } from './errors.js';
import { AUDIENCE, claims, ISSUER, NOW, sign } from './test-support/tokens.js';
import { createVerifier, type Verifier } from './verifier.js';

// biome-ignore format: one family per line
const ALGORITHMS = [
  'HS256', 'HS384', 'HS512',
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const;

interface Setup {
  verifier: Verifier;
  signingKey: CryptoKey;
}
const setups = new Map<string, Setup>();

async function setup(alg: string): Promise<Setup> {
  if (alg.startsWith('HS')) {
    const secret = await generateSecret(alg, { extractable: true });
    const { k } = await exportJWK(secret);
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      secret: base64url.decode(k as string),
      algorithms: [alg],
    });
    return { verifier, signingKey: secret as CryptoKey };
  }
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = await exportJWK(publicKey);
  return {
    verifier: createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwk, algorithms: [alg] }),
    signingKey: privateKey,
  };
}

/** The same token with one bit of its signature flipped. */
function flipSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = base64url.decode(signature);
  bytes[0] = (bytes[0] as number) ^ 0x01;
  return `${header}.${payload}.${base64url.encode(bytes)}`;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  for (const alg of ALGORITHMS) setups.set(alg, await setup(alg));
});
afterAll(() => vi.useRealTimers());

describe.each(ALGORITHMS)('%s', (alg) => {
  it('accepts a token signed with the matching key', async () => {
    const { verifier, signingKey } = setups.get(alg) as Setup;
    const auth = await verifier.verify(await sign(claims(), signingKey, alg));
    expect(auth.header.alg).toBe(alg);
    expect(auth.claims.sub).toBe('user-1');
  });

  it('refuses the token with one signature bit flipped as 401 invalid_token', async () => {
    const { verifier, signingKey } = setups.get(alg) as Setup;
    const forged = flipSignature(await sign(claims(), signingKey, alg));
    const error = await verifier.verify(forged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error).toMatchObject({ status: 401, bearerError: 'invalid_token' });
  });
});
