// The Web engine's digest: SHA-256 computed in JavaScript, because Web Crypto's digest is
// asynchronous (a thread-pool round trip on Node) and would cost a cached token more than the
// rest of its check.
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();
// UTF-8 takes at most 3 bytes per UTF-16 unit: a text up to a third of this long (a signature
// segment, usually) is encoded here rather than into a new array.
const scratch = new Uint8Array(3072);

/**
 * The SHA-256 of a text (UTF-8) as a 32-character binary string, computed synchronously: the
 * key of the verified-token cache and of the introspection cache, so that neither holds a
 * bearer token. The Node engine computes the same value with node:crypto.
 *
 * @example
 * webTokenDigest('abc').length; // 32
 */
export function webTokenDigest(text: string): string {
  const bytes =
    text.length * 3 <= scratch.length
      ? scratch.subarray(0, encoder.encodeInto(text, scratch).written)
      : encoder.encode(text);
  return String.fromCharCode.apply(null, sha256(bytes) as unknown as number[]);
}
