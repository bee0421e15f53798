// The header memo of parseJws: decoding once per header segment must not skip a
// single check, nor keep a failure, nor grow without bound.
import { base64url, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { MalformedTokenError, UnsupportedAlgorithmError } from './errors.js';
import { HeaderMemo, joseSegmentDecoder, parseJws, type SegmentDecoder } from './parse.js';
import { createVerifier } from './verifier.js';

const seg = (value: unknown) => base64url.encode(JSON.stringify(value));
const payload = seg({ sub: 'a' });
const signature = base64url.encode(new Uint8Array(32));
const spyDecoder = (): SegmentDecoder & { json: ReturnType<typeof vi.fn> } => ({
  json: vi.fn((s: string) => joseSegmentDecoder.json(s)),
  bytes: (s: string) => joseSegmentDecoder.bytes(s),
});

describe('HeaderMemo', () => {
  it('decodes a header segment once and hands out the same frozen header', () => {
    const memo = new HeaderMemo();
    const decoder = spyDecoder();
    const token = `${seg({ alg: 'HS256', kid: 'k' })}.${payload}.${signature}`;
    const a = parseJws(token, ['HS256'], decoder, memo);
    const b = parseJws(token, ['HS256'], decoder, memo);
    expect(b.header).toBe(a.header);
    expect(Object.isFrozen(a.header)).toBe(true);
    // The header once, the payload each time.
    expect(decoder.json).toHaveBeenCalledTimes(3);
    expect(b.claims).not.toBe(a.claims);
  });

  it('keeps no failure: a malformed header is decoded, and refused, every time', () => {
    const memo = new HeaderMemo();
    const decoder = spyDecoder();
    const token = `${base64url.encode('{"alg":')}.${payload}.${signature}`;
    for (let i = 0; i < 2; i++)
      expect(() => parseJws(token, ['HS256'], decoder, memo)).toThrow(MalformedTokenError);
    expect(decoder.json).toHaveBeenCalledTimes(2);
  });

  it('runs every header check on a remembered header', () => {
    const memo = new HeaderMemo();
    const cases: [unknown, string[], new (...args: never[]) => Error][] = [
      [{ alg: 'HS384' }, ['HS256'], UnsupportedAlgorithmError],
      [{ alg: 'none' }, ['HS256'], UnsupportedAlgorithmError],
      [{ alg: 'HS256', crit: ['exp'] }, ['HS256'], MalformedTokenError],
      [{ alg: 'HS256', kid: 7 }, ['HS256'], MalformedTokenError],
      [{ alg: 'HS256', b64: false }, ['HS256'], MalformedTokenError],
    ];
    for (const [header, algorithms, error] of cases)
      for (let i = 0; i < 2; i++)
        expect(() =>
          parseJws(`${seg(header)}.${payload}.${signature}`, algorithms, joseSegmentDecoder, memo),
        ).toThrow(error);
    // One memo serves several allow-lists: the allow-list is checked per call.
    const token = `${seg({ alg: 'HS384' })}.${payload}.${signature}`;
    expect(parseJws(token, ['HS384'], joseSegmentDecoder, memo).header.alg).toBe('HS384');
  });

  it('is bounded: dropped whole when full', () => {
    const memo = new HeaderMemo(2);
    const decoder = spyDecoder();
    const token = (kid: string) => `${seg({ alg: 'HS256', kid })}.${payload}.${signature}`;
    for (const kid of ['a', 'b', 'c', 'a']) parseJws(token(kid), ['HS256'], decoder, memo);
    // a, b, c (memo full: dropped, then c kept), a again: four header decodes plus four payloads.
    expect(decoder.json).toHaveBeenCalledTimes(8);
  });
});

describe('the verifier with remembered headers', () => {
  it('still refuses a token signed with another key under the same header', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
    const other = new TextEncoder().encode('another-shared-secret-of-32-bytes-or-more');
    const verifier = createVerifier({ issuer: false, audience: false, secret, requireExp: false });
    const sign = (key: Uint8Array) =>
      new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    await expect(verifier.verify(await sign(secret))).resolves.toMatchObject({
      header: { alg: 'HS256' },
    });
    await expect(verifier.verify(await sign(other))).rejects.toMatchObject({
      code: 'ERR_SIGNATURE_INVALID',
    });
  });
});
