// The signature step over the candidate keys of a token (shared by both entries).
import { InvalidSignatureError, type TokengateError } from './errors.js';
import { mapJoseError } from './jose-errors.js';
import type { SignatureVerifier, VerificationKey } from './keys/types.js';

// Several candidate keys (rotation, kid-less sets): any one verifying is enough. When all
// fail, a plain signature mismatch is reported over a key that did not fit the algorithm.
// Returns no promise when a synchronous signature step (the Node engine) verifies a key.
/**
 * Check `token` with each candidate key until one verifies it.
 *
 * @example
 * const pending = verifySignature(engine.signature, token, 'RS256', keys);
 * if (pending) await pending;
 */
export function verifySignature(
  verifier: SignatureVerifier,
  token: string,
  alg: string,
  keys: readonly VerificationKey[],
  from = 0,
  failed?: TokengateError[],
): void | Promise<void> {
  // Allocated on the first failure only: the usual token verifies with its first key.
  let failures = failed;
  for (let i = from; i < keys.length; i++) {
    let pending: void | Promise<void>;
    try {
      pending = verifier.verify(token, alg, keys[i] as VerificationKey);
    } catch (error) {
      failures ??= [];
      failures.push(mapJoseError(error));
      continue;
    }
    if (!pending) return;
    const sofar = failures ?? [];
    return pending.catch((error: unknown) => {
      sofar.push(mapJoseError(error));
      return verifySignature(verifier, token, alg, keys, i + 1, sofar);
    });
  }
  throw (
    failures?.find((e) => e instanceof InvalidSignatureError) ??
    failures?.[0] ??
    new InvalidSignatureError('No trusted key matches the token')
  );
}
