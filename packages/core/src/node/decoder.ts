// Segment decoding with Node's Buffer: the one place the Node entry does base64url itself.
// It must reject exactly what the jose decoder (../parse.ts) rejects; the differential test
// holds the two to that.
import { Buffer, isUtf8 } from 'node:buffer';
import { MalformedTokenError } from '../errors.js';
import type { SegmentDecoder } from '../parse.js';

const BOM = 0xfeff;

const SEGMENT = /^[A-Za-z0-9_-]*$/;

// RFC 7515 §2: unpadded base64url with exactly one string form. Buffer skips characters it
// does not know and ignores the stray low bits of a final partial group, so: the alphabet is
// checked first, then the final partial group (2 or 3 characters) must be what Buffer
// encodes its bytes back to. Complete 4-character groups have no stray bits.
function bytes(segment: string): Buffer {
  if (!SEGMENT.test(segment)) throw new MalformedTokenError();
  const tail = segment.length % 4;
  if (tail === 1) throw new MalformedTokenError();
  const decoded = Buffer.from(segment, 'base64url');
  if (
    tail !== 0 &&
    decoded.subarray(decoded.length - (tail - 1)).toString('base64url') !==
      segment.slice(segment.length - tail)
  )
    throw new MalformedTokenError();
  return decoded;
}

function json(segment: string): Record<string, unknown> {
  const raw = bytes(segment);
  // Same outcome as a fatal TextDecoder: invalid UTF-8 is malformed, a leading BOM is dropped.
  if (!isUtf8(raw)) throw new MalformedTokenError();
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new MalformedTokenError(undefined, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedTokenError();
  return value as Record<string, unknown>;
}

/**
 * The Node {@link SegmentDecoder}: `Buffer` base64url and `isUtf8`, with the same verdicts as
 * the jose decoder of the default entry.
 *
 * @example
 * const header = bufferSegmentDecoder.json(token.split('.')[0]);
 */
export const bufferSegmentDecoder: SegmentDecoder = { json, bytes };
