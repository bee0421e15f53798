// Stateless DPoP server nonces (RFC 9449 §8, §9): an HMAC of the time step.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNonces } from './nonce.js';

const NOW = 1_800_000_000_000;
const SECRET = 'a-nonce-secret-of-at-least-32-bytes!';
beforeEach(() => vi.useFakeTimers({ now: NOW, toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

// RFC 9449 §8.1: NQCHAR = %x21 / %x23-5B / %x5D-7E.
const NQCHAR = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

describe('createNonces', () => {
  it('issues NQCHAR nonces that change with each time step', async () => {
    const nonces = createNonces({ secret: SECRET, lifetime: '1m' });
    const first = await nonces.current();
    expect(first).toMatch(NQCHAR);
    expect(await nonces.current()).toBe(first);
    vi.setSystemTime(NOW + 60_000);
    expect(await nonces.current()).not.toBe(first);
  });

  it('judges the current, the previous and any other nonce', async () => {
    const nonces = createNonces({ secret: SECRET, lifetime: 60 });
    const first = await nonces.current();
    expect(await nonces.judge(first)).toBe('current');
    vi.setSystemTime(NOW + 60_000);
    expect(await nonces.judge(first)).toBe('previous');
    expect(await nonces.judge(await nonces.current())).toBe('current');
    vi.setSystemTime(NOW + 120_000);
    expect(await nonces.judge(first)).toBe('unknown');
    for (const other of [undefined, 42, '', 'x', `${first}x`, first.toUpperCase()])
      expect(await nonces.judge(other)).toBe('unknown');
  });

  it('gives the same nonces to instances that share the secret, others to another secret', async () => {
    const a = createNonces({ secret: SECRET });
    const b = createNonces({ secret: new TextEncoder().encode(SECRET) });
    const c = createNonces({ secret: `${SECRET}!` });
    expect(await a.current()).toBe(await b.current());
    expect(await c.judge(await a.current())).toBe('unknown');
  });

  it('throws TypeError for a short secret or a lifetime under a second', () => {
    expect(() => createNonces({ secret: 'x'.repeat(31) })).toThrow(
      /"nonce.secret" .* at least 32 bytes/,
    );
    expect(() => createNonces({ secret: 'x'.repeat(31) }, 'dpop.')).toThrow(/"dpop.nonce.secret"/);
    expect(() => createNonces({ secret: SECRET, lifetime: 0.5 })).toThrow(/"nonce.lifetime"/);
    expect(() => createNonces(undefined as never)).toThrow(/"nonce" must be an object/);
  });
});
