// The Web engine's digest: SHA-256 computed in JavaScript, because Web Crypto's digest is
// asynchronous (a thread-pool round trip on Node) and would cost a cached token more than the
// rest of its check. One hasher is reset and reused: a digest runs start to finish without
// yielding, and a fresh hasher per call (what one-shot hash functions do) costs more than
// hashing the 43 characters the verified-token cache asks for.
import { SHA256 } from '@stablelib/sha256';

const encoder = new TextEncoder();
// UTF-8 takes at most 3 bytes per UTF-16 unit: a text up to a third of this long (a signature's
// end, usually) is encoded here rather than into a new array.
const scratch = new Uint8Array(3072);
const hasher = new SHA256();
const digest = new Uint8Array(32);

/**
 * The SHA-256 of a text (UTF-8) as a 32-character binary string, computed synchronously: the
 * key of the verified-token cache and of the introspection cache, so that neither holds a
 * bearer token. The Node engine computes the same value with node:crypto.
 *
 * @example
 * webTokenDigest('abc').length; // 32
 */
export function webTokenDigest(text: string): string {
  hasher.reset();
  if (text.length * 3 <= scratch.length)
    hasher.update(scratch, encoder.encodeInto(text, scratch).written);
  else hasher.update(encoder.encode(text));
  hasher.finish(digest);
  return String.fromCharCode.apply(null, digest as unknown as number[]);
}
