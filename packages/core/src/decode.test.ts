import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeUnverified } from './decode.js';
import { MalformedTokenError } from './errors.js';

describe('decodeUnverified', () => {
  it('returns header and claims without checking the signature, marked unverified', async () => {
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.AAAA`;
    expect(decodeUnverified(forged)).toEqual({
      header: { alg: 'HS256', kid: 'k1' },
      claims: { sub: 'alice' },
      verified: false,
    });
  });
  it.each([
    ['not a token'],
    ['a.b'],
    ['####.####.####'],
    [42 as never],
  ])('throws MalformedTokenError for %s', (bad) => {
    expect(() => decodeUnverified(bad)).toThrow(MalformedTokenError);
  });
});
