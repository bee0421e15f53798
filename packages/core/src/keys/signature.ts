import { compactVerify } from 'jose';
import type { SignatureVerifier, VerificationKey } from './types.js';

type JoseKey = Parameters<typeof compactVerify>[1] & object;

/**
 * The default {@link SignatureVerifier}: jose's `compactVerify` through Web Crypto, so it runs
 * on Node, Bun, Deno, Workers and browsers. jose also refuses a key that does not fit `alg`.
 *
 * @example
 * await joseSignatureVerifier.verify(token, 'RS256', publicKey);
 */
export const joseSignatureVerifier: SignatureVerifier = {
  async verify(token: string, alg: string, key: VerificationKey): Promise<void> {
    await compactVerify(token, key as JoseKey, { algorithms: [alg] });
  },
};
