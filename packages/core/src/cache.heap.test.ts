import { getHeapSnapshot } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createTokenCache } from './cache.js';
import type { AuthInfo, JWTClaims } from './types.js';
import { webTokenDigest } from './web/digest.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Random base64url text kept as character codes: the test holds no string of it until the
// heap has been read, so whatever string of it the heap holds, the cache kept.
const randomCodes = (length: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) =>
    BASE64URL.charCodeAt(byte & 63),
  );
const text = (codes: number[]) => String.fromCharCode(...codes);

async function heapStrings(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const auth: AuthInfo<JWTClaims> = {
  token: 'ignored',
  header: { alg: 'ES256' },
  claims: { sub: 'someone', exp: 10 },
  scopes: new Set(),
};

describe('createTokenCache memory', () => {
  it('keeps a cached JWS without the end of its signature, so the heap holds no bearer token', async () => {
    const header = randomCodes(36);
    const payload = randomCodes(120);
    const signature = randomCodes(86); // as long as an ES256 signature
    const cache = createTokenCache({ now: () => 0 }, webTokenDigest);
    const hit = (() => {
      const token = `${text(header)}.${text(payload)}.${text(signature)}`;
      cache.set(token, auth);
      return cache.get(token) !== undefined;
    })();
    // The cache remembers the last token asked about: another one takes its place.
    cache.set('a.b.c', auth);

    const heap = await heapStrings();
    expect(hit).toBe(true);
    // What the entry keeps is there, so a search of the heap does find a cached token's parts.
    const kept = `${text(header)}.${text(payload)}.${text(signature.slice(0, 43))}`;
    expect(heap.includes(kept), 'the kept head in the heap').toBe(true);
    expect(heap.includes(text(signature.slice(43))), "the signature's end in the heap").toBe(false);
    expect(heap.includes(text(signature.slice(-20))), 'part of it in the heap').toBe(false);
  });
});
