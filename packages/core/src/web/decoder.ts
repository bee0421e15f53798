// Segment decoding for the Web engine, without a second pass to prove a segment canonical: the
// same rules as the Node decoder (../node/decoder.ts), in plain JavaScript for every runtime.
// It must reject exactly what the jose decoder (../parse.ts) rejects; the differential test
// holds them to that.
import { MalformedTokenError } from '../errors.js';
import type { SegmentDecoder } from '../parse.js';

// RFC 7515 §2: unpadded base64url with exactly one string form: the alphabet, a length that
// is not 1 mod 4, and no stray bits in the last character (its value a multiple of 16 after
// two characters of a group, of 4 after three).
const SEGMENT = /^[A-Za-z0-9_-]*$/;
const LAST_OF_TWO = 'AQgw';
const LAST_OF_THREE = 'AEIMQUYcgkosw048';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

const value = (segment: string, i: number) => VALUE[segment.charCodeAt(i)] as number;

function bytes(segment: string): Uint8Array {
  const rest = segment.length & 3;
  if (rest === 1 || !SEGMENT.test(segment)) throw new MalformedTokenError();
  if (rest !== 0) {
    const last = segment.charAt(segment.length - 1);
    if (!(rest === 2 ? LAST_OF_TWO : LAST_OF_THREE).includes(last)) throw new MalformedTokenError();
  }
  const out = new Uint8Array((segment.length * 3) >> 2);
  const whole = segment.length - rest;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const n =
      (value(segment, i) << 18) |
      (value(segment, i + 1) << 12) |
      (value(segment, i + 2) << 6) |
      value(segment, i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest !== 0) {
    const n = (value(segment, whole) << 18) | (value(segment, whole + 1) << 12);
    out[o++] = n >> 16;
    if (rest === 3) out[o] = ((n | (value(segment, whole + 2) << 6)) >> 8) & 0xff;
  }
  lastSegment = segment;
  lastDecoded = out;
  return out;
}

// The parser decodes the signature segment last; the signature step asks for it right after.
let lastSegment = '';
let lastDecoded = new Uint8Array(0);

/**
 * The bytes of a base64url segment, reusing the parser's decoding of the same text.
 * Not a syntax check: only for segments that already passed {@link webSegmentDecoder}.
 *
 * @example
 * const signature = decodedSegment(token.slice(token.lastIndexOf('.') + 1));
 */
export function decodedSegment(segment: string): Uint8Array {
  return lastSegment === segment ? lastDecoded : bytes(segment);
}

// Fatal: invalid UTF-8 is malformed; a leading BOM is dropped, as by the jose decoder.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function json(segment: string): Record<string, unknown> {
  const raw = bytes(segment);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(raw));
  } catch (cause) {
    throw new MalformedTokenError(undefined, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedTokenError();
  return value as Record<string, unknown>;
}

/**
 * The Web engine's {@link SegmentDecoder}: the strict base64url rules checked in one pass and
 * a fatal UTF-8 `TextDecoder`, with the same verdicts as the jose decoder.
 *
 * @example
 * const header = webSegmentDecoder.json(token.split('.')[0]);
 */
export const webSegmentDecoder: SegmentDecoder = { json, bytes };
