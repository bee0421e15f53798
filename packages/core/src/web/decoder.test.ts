import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { joseSegmentDecoder } from '../parse.js';
import { prng } from '../test-support/differential.js';
import { decodedSegment, webSegmentDecoder } from './decoder.js';

const verdict = (decode: (s: string) => unknown, segment: string) => {
  try {
    return { value: decode(segment) };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
};

describe('Web segment decoder', () => {
  const cases: [string, string][] = [
    ['canonical object', base64url.encode('{"a":1}')],
    ['stray bits in the last character', `${base64url.encode('{"a":1}').slice(0, -1)}S`],
    ['stray bits after three characters', `${base64url.encode('{"a":12}').slice(0, -1)}B`],
    ['padding', `${base64url.encode('{"a":1}')}=`],
    ['one character too many', `${base64url.encode('{"a":12}')}A`],
    ['base64 alphabet', 'eyJh+ZQ/'],
    ['a space', 'eyJh ZQ'],
    ['a non-ASCII character', 'eyJhé'],
    ['leading BOM', base64url.encode('\ufeff{"a":1}')],
    ['invalid UTF-8', base64url.encode(new Uint8Array([0x7b, 0xc3, 0x7d]))],
    ['JSON array', base64url.encode('[1]')],
    ['JSON string', base64url.encode('"a"')],
    ['JSON null', base64url.encode('null')],
    ['empty', ''],
  ];
  it.each(cases)('decodes JSON like the jose decoder: %s', (_name, segment) => {
    expect(verdict(webSegmentDecoder.json, segment)).toEqual(
      verdict(joseSegmentDecoder.json, segment),
    );
  });

  it('decodes bytes of every length like jose, and refuses what jose refuses', () => {
    const rng = prng(5);
    for (let length = 0; length < 70; length++) {
      const bytes = rng.bytes(length);
      const segment = base64url.encode(bytes);
      expect(webSegmentDecoder.bytes(segment)).toEqual(bytes);
      expect(decodedSegment(segment)).toEqual(bytes);
      // Every other last character: canonical for exactly one of them.
      for (const last of 'AQgwBRhx') {
        const variant = segment.slice(0, -1) + last;
        if (segment.length === 0) continue;
        expect(verdict(webSegmentDecoder.bytes, variant).error).toBe(
          verdict(joseSegmentDecoder.bytes, variant).error,
        );
      }
    }
  });
});
