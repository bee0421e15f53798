// @tokengate/testing's verifierOptions() must be accepted as-is by core's strict option check.
import { createVerifier, InvalidSignatureError, TokenExpiredError } from '@tokengate/core';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(() => issuer.close());

describe('the test issuer with core', () => {
  it.each(['jwks', 'discovery'] as const)('verifies its tokens through %s', async (source) => {
    const verifier = createVerifier(issuer.verifierOptions(source));
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const auth = await verifier.verify(await issuer.mint({ scope: 'a b' }, { alg }));
      expect(auth.header.alg).toBe(alg);
      expect([...auth.scopes]).toEqual(['a', 'b']);
    }
  });

  it('verifies HS256 tokens with the shared secret', async () => {
    const verifier = createVerifier(issuer.verifierOptions('secret'));
    const auth = await verifier.verify(await issuer.mint({}, { alg: 'HS256' }));
    expect(auth.claims.sub).toBe('test-user');
  });

  it('keeps verifying a token signed before a rotation until the old key is retired', async () => {
    const rotating = await createTestIssuer({ algorithms: ['ES256'] });
    try {
      const old = await rotating.mint();
      await rotating.rotate();
      const verifier = createVerifier(rotating.verifierOptions());
      await expect(verifier.verify(old)).resolves.toBeTruthy();
      await expect(verifier.verify(await rotating.mint())).resolves.toBeTruthy();
      rotating.retire();
      const fresh = createVerifier(rotating.verifierOptions());
      await expect(fresh.verify(old)).rejects.toBeInstanceOf(InvalidSignatureError);
    } finally {
      await rotating.close();
    }
  });

  it('has its expired tokens refused with TokenExpiredError', async () => {
    const verifier = createVerifier(issuer.verifierOptions());
    await expect(verifier.verify(await issuer.mint({}, { expiresIn: -60 }))).rejects.toBeInstanceOf(
      TokenExpiredError,
    );
  });
});
