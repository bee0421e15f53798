// The Node decoder proves a segment canonical without re-encoding it; it must still
// refuse exactly what the jose decoder of the default entry refuses.
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { MalformedTokenError } from '../errors.js';
import { joseSegmentDecoder } from '../parse.js';
import { bufferSegmentDecoder } from './decoder.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Characters Buffer's base64url decoder treats specially: the base64 alphabet, padding,
// whitespace, and two-byte characters whose low byte is a base64url letter (U+0141 is "Ł",
// low byte 0x41 "A").
const HOSTILE = ['+', '/', '=', ' ', '\n', '\t', '.', '\u0141', '\u0161', '\u0100', 'é', '€'];

function verdict(decode: (segment: string) => unknown, segment: string) {
  try {
    return Buffer.from(decode(segment) as Uint8Array).toString('hex');
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedTokenError);
    return 'malformed';
  }
}

function agree(segment: string) {
  expect(verdict(bufferSegmentDecoder.bytes, segment), JSON.stringify(segment)).toBe(
    verdict(joseSegmentDecoder.bytes, segment),
  );
}

describe('Node segment decoder vs the jose decoder', () => {
  it('agrees on every last character, for every length mod 4', () => {
    for (const body of ['', 'A', 'AB', 'ABC', 'ABCD', 'eyJhbGciOiJIUzI1NiJ9', 'abcdefg']) {
      for (const last of [...ALPHABET, ...HOSTILE]) agree(`${body}${last}`);
    }
  });

  it('agrees on hostile characters anywhere in a segment', () => {
    const valid = base64url.encode(new Uint8Array(Array.from({ length: 40 }, (_, i) => i * 7)));
    for (let at = 0; at < valid.length; at += 3)
      for (const c of HOSTILE) {
        agree(`${valid.slice(0, at)}${c}${valid.slice(at + 1)}`); // replaced
        agree(`${valid.slice(0, at)}${c}${valid.slice(at)}`); // inserted
      }
  });

  it('decodes canonical segments of every length to the same bytes', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      const segment = base64url.encode(bytes);
      expect(verdict(bufferSegmentDecoder.bytes, segment)).toBe(Buffer.from(bytes).toString('hex'));
      agree(segment);
      agree(`${segment}=`);
      agree(`${segment}==`);
    }
  });
});
