import { compactVerify } from 'jose';
import type { SignatureVerifier, VerificationKey } from './types.js';

type JoseKey = Parameters<typeof compactVerify>[1] & object;

/**
 * jose's own signature check (`compactVerify`), on every runtime: what both engines hand the
 * keys only jose can prepare or would refuse (so the error is jose's), and the reference the
 * differential test holds both engines to. jose refuses a key that does not fit `alg`.
 *
 * @example
 * await joseSignatureVerifier.verify(token, 'RS256', publicKey);
 */
export const joseSignatureVerifier: SignatureVerifier = {
  async verify(token: string, alg: string, key: VerificationKey): Promise<void> {
    await compactVerify(token, key as JoseKey, { algorithms: [alg] });
  },
};
