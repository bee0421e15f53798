import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webTokenDigest } from './digest.js';

const webCryptoDigest = async (text: string) => {
  const bytes = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  );
  return String.fromCharCode(...bytes);
};

describe('webTokenDigest', () => {
  it('is the SHA-256 Web Crypto computes, for any string', async () => {
    // The cache looks a token up before its grammar is checked: any header value may arrive.
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        expect(webTokenDigest(text)).toBe(await webCryptoDigest(text));
      }),
      { seed: 20261206, numRuns: 200 },
    );
    const long = 'x'.repeat(8192);
    expect(webTokenDigest(long)).toBe(await webCryptoDigest(long));
    expect(webTokenDigest('')).toBe(await webCryptoDigest(''));
  });

  it('is 32 characters, and differs for texts that differ in one character', () => {
    expect(webTokenDigest('a.b.c')).toHaveLength(32);
    expect(webTokenDigest('a.b.d')).not.toBe(webTokenDigest('a.b.c'));
  });
});
