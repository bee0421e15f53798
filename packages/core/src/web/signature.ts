// The Web signature step: Web Crypto does the cryptography on the token as the parser already
// checked it; jose is only asked about keys it alone can prepare.
import { InvalidSignatureError } from '../errors.js';
import { joseSignatureVerifier } from '../keys/signature.js';
import type { SignatureVerifier, VerificationKey } from '../keys/types.js';
import { WEB_ALGORITHMS, type WebAlgorithm } from './algorithms.js';
import { decodedSegment } from './decoder.js';
import { webKeyFor } from './keys.js';

const encoder = new TextEncoder();

// The token passed the strict syntax checks: three canonical base64url segments, so the
// signing input is ASCII and the last segment decodes.
async function check(spec: WebAlgorithm, key: CryptoKey, token: string): Promise<void> {
  const dot = token.lastIndexOf('.');
  const signature = decodedSegment(token.slice(dot + 1)) as Uint8Array<ArrayBuffer>;
  const data = encoder.encode(token.slice(0, dot));
  let valid: boolean;
  try {
    valid = await crypto.subtle.verify(spec.verify, key, signature, data);
  } catch (cause) {
    throw new InvalidSignatureError(undefined, { cause });
  }
  if (!valid) throw new InvalidSignatureError();
}

/**
 * The Web {@link SignatureVerifier}: `crypto.subtle.verify` with keys prepared once per key
 * and algorithm (shared secrets imported on first use, CryptoKeys checked as jose checks
 * them). A key jose would refuse, or one only jose can convert (a JWK object, a Node
 * KeyObject), goes to jose, so the error is the one jose reports.
 *
 * @example
 * await webSignatureVerifier.verify(token, 'ES256', publicKey); // throws InvalidSignatureError
 */
export const webSignatureVerifier: SignatureVerifier = {
  verify(token: string, alg: string, key: VerificationKey): void | Promise<void> {
    const spec = WEB_ALGORITHMS.get(alg);
    const found = spec === undefined ? null : webKeyFor(key, spec);
    if (found instanceof Promise)
      return found.then((ready) =>
        ready === null
          ? joseSignatureVerifier.verify(token, alg, key)
          : check(spec as WebAlgorithm, ready, token),
      );
    if (found === null) return joseSignatureVerifier.verify(token, alg, key);
    return check(spec as WebAlgorithm, found, token);
  },
};
