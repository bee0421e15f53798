// Interop: tokens from the issuer verify with independent JWT libraries that share no code
// with jose (jsonwebtoken over node:crypto; fast-jwt), given only the published JWK Set.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createVerifier as createFastJwtVerifier } from 'fast-jwt';
import jsonwebtoken from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.js';
import { type IssuerKey, SIGNING_ALGORITHMS, type SigningAlgorithm } from './keys.js';
import { sign } from './sign.js';
import { keyFor } from './test-support/keys.js';

const ISSUER = 'https://id.example';

/** The verification key an outside party would build: the JWK from jwks(), or the shared secret. */
async function outsideKey(key: IssuerKey): Promise<KeyObject | Buffer> {
  if (key.alg.startsWith('HS')) return Buffer.from(key.privateKey as Uint8Array);
  const jwk = createKeyRing(key)
    .jwks()
    .keys.find((k) => k.kid === key.kid)!;
  return createPublicKey({ key: jwk as never, format: 'jwk' });
}

async function issue(alg: SigningAlgorithm) {
  const key = await keyFor(alg);
  const token = await sign(
    { scope: 'read:things' },
    { key, expiresIn: '15m', issuer: ISSUER, audience: 'api', subject: 'user-1' },
  );
  return { key, token };
}

describe('interop', () => {
  // jsonwebtoken 9 has no EdDSA.
  it.each(
    SIGNING_ALGORITHMS.filter((a) => a !== 'EdDSA'),
  )('jsonwebtoken verifies a %s token', async (alg) => {
    const { key, token } = await issue(alg);
    const result = jsonwebtoken.verify(token, await outsideKey(key), {
      algorithms: [alg],
      issuer: ISSUER,
      audience: 'api',
      complete: true,
    }) as jsonwebtoken.Jwt;
    expect(result.header).toMatchObject({ alg, kid: key.kid, typ: 'at+jwt' });
    expect(result.payload).toMatchObject({ sub: 'user-1', scope: 'read:things' });
  });

  it.each(SIGNING_ALGORITHMS)('fast-jwt verifies a %s token', async (alg) => {
    const { key, token } = await issue(alg);
    const outside = await outsideKey(key);
    const verify = createFastJwtVerifier({
      key: Buffer.isBuffer(outside) ? outside : outside.export({ type: 'spki', format: 'pem' }),
      algorithms: [alg],
      allowedIss: ISSUER,
      allowedAud: 'api',
      complete: true,
    });
    const result = verify(token) as {
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
    };
    expect(result.header).toMatchObject({ alg, kid: key.kid, typ: 'at+jwt' });
    expect(result.payload).toMatchObject({ sub: 'user-1', iss: ISSUER });
  });

  it('jsonwebtoken rejects our token once it has expired and when it was tampered with', async () => {
    const { key, token } = await issue('RS256');
    const publicKey = await outsideKey(key);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url')}.${s}`;
    expect(() => jsonwebtoken.verify(forged, publicKey, { algorithms: ['RS256'] })).toThrow(
      /invalid signature/,
    );
    const later = Math.floor(Date.now() / 1000) + 16 * 60;
    expect(() =>
      jsonwebtoken.verify(token, publicKey, {
        algorithms: ['RS256'],
        clockTimestamp: later,
      }),
    ).toThrow(/jwt expired/);
  });
});
