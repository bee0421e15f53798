import type { VerifyEngine } from '../verifier-types.js';
import { webSegmentDecoder } from './decoder.js';
import { webTokenDigest } from './digest.js';
import { webSignatureVerifier } from './signature.js';

/**
 * The Web {@link VerifyEngine} of the default entry, for every runtime with Web Crypto (Node,
 * Bun, Deno, Workers): the token decoded once, `crypto.subtle.verify` on its signing input with
 * keys prepared once, and the cache key digested synchronously in JavaScript.
 *
 * @example
 * const verifier = createVerifierWith(webEngine, { secret: process.env.JWT_SECRET, issuer, audience });
 */
export const webEngine: VerifyEngine = {
  decoder: webSegmentDecoder,
  signature: webSignatureVerifier,
  digest: webTokenDigest,
};
