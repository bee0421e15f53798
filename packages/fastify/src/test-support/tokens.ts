import { createVerifier, type Verifier } from '@tokengate/core';
import { createSecretMinter } from '@tokengate/testing/mint';
import { type Mock, vi } from 'vitest';

/** The HS256 issuer of these tests: `sub: 'user-1'`, a random secret, times from the faked clock. */
export const tokens = createSecretMinter({ subject: 'user-1' });
export const { mint } = tokens;
export const options = { ...tokens.verifierOptions(), realm: 'api' };

/**
 * A verifier of these tests' issuer whose `authenticate` counts its calls: a copy of a real
 * one, so the plugin drives it through its public `authenticate()`.
 */
export function countingVerifier(
  verifierOptions: typeof options = options,
): Verifier<unknown> & { authenticate: Mock<Verifier<unknown>['authenticate']> } {
  const real = createVerifier<unknown>(verifierOptions);
  return {
    verify: (token) => real.verify(token),
    health: () => real.health(),
    options: real.options,
    authenticate: vi.fn((request, opts) => real.authenticate(request, opts)),
  };
}
