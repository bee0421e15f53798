// Segment decoding with Node's Buffer: the one place the Node entry does base64url itself.
// It must reject exactly what the jose decoder (../parse.ts) rejects; the differential test
// holds the two to that.
import { Buffer, isUtf8 } from 'node:buffer';
import { MalformedTokenError } from '../errors.js';
import type { SegmentDecoder } from '../parse.js';

const BOM = 0xfeff;

// RFC 7515 §2: unpadded base64url with exactly one string form. Buffer skips characters it
// does not know, stops at padding, takes "+" and "/", reads a character beyond ASCII by its low
// byte and ignores stray low bits, so the strictness is checked around it: a length that is not
// 1 mod 4, no stray bits in the last character (its value a multiple of 16 after two characters
// of a group, of 4 after three), ASCII only, neither "+" nor "/", and every character decoded
// (one skipped, or padding, leaves fewer than three bytes per four characters; Node, Bun and
// Deno alike). These prove a segment canonical without re-encoding it, which would allocate a
// second copy of every segment, and without a regular expression over it, which on V8 costs
// about as much as the decoding itself.
const LAST_OF_TWO = 'AQgw';
const LAST_OF_THREE = 'AEIMQUYcgkosw048';

function bytes(segment: string): Buffer {
  const rest = segment.length & 3;
  if (rest === 1) throw new MalformedTokenError();
  if (rest !== 0) {
    const last = segment.charAt(segment.length - 1);
    if (!(rest === 2 ? LAST_OF_TWO : LAST_OF_THREE).includes(last)) throw new MalformedTokenError();
  }
  const decoded = Buffer.from(segment, 'base64url');
  if (
    decoded.length !== (segment.length * 3) >> 2 ||
    Buffer.byteLength(segment, 'utf8') !== segment.length ||
    segment.includes('+') ||
    segment.includes('/')
  )
    throw new MalformedTokenError();
  lastSegment = segment;
  lastDecoded = decoded;
  return decoded;
}

// The parser decodes the signature segment last; the signature step asks for it right after.
// (Two variables, not an object: no allocation per segment.)
let lastSegment = '';
let lastDecoded = Buffer.alloc(0);

/**
 * The bytes of a base64url segment, reusing the parser's decoding of the same text.
 * Not a syntax check: only for segments that already passed {@link bufferSegmentDecoder}.
 *
 * @example
 * const signature = decodedSegment(token.slice(token.lastIndexOf('.') + 1));
 */
export function decodedSegment(segment: string): Buffer {
  return lastSegment === segment ? lastDecoded : Buffer.from(segment, 'base64url');
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
