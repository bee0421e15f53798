import { hash } from 'node:crypto';
import type { VerifyEngine } from '../verifier.js';
import { diagnosticsTelemetry } from './channels.js';
import { bufferSegmentDecoder } from './decoder.js';
import { nodeSignatureVerifier } from './signature.js';

/**
 * The Node {@link VerifyEngine}: Buffer decoding, node:crypto signatures, a synchronous
 * SHA-256 for the cache keys (the same value the Web engine computes) and the
 * `tokengate:verify` / `tokengate:jwks` diagnostics channels.
 *
 * @example
 * const verifier = createVerifierWith(nodeEngine, { secret: process.env.JWT_SECRET, issuer, audience });
 */
export const nodeEngine: VerifyEngine = {
  decoder: bufferSegmentDecoder,
  signature: nodeSignatureVerifier,
  // One-shot `hash` (Node ≥ 20.12): no Hash object per request.
  digest: (text) => hash('sha256', text, 'binary'),
  telemetry: diagnosticsTelemetry,
};
