import { describe, expect, it } from 'vitest';
import { NEGATIVE_CACHE_SIZE, RefetchPolicy } from './jwks-policy.js';

describe('RefetchPolicy', () => {
  it('allows one fetch per cooldown window plus the rotation budget', () => {
    const policy = new RefetchPolicy(30_000, 2);
    policy.noteFetch(0);
    expect([1, 2, 3].map((t) => policy.tryAcquire(t))).toEqual([true, true, false]);
    expect(policy.tryAcquire(30_000)).toBe(true);
    policy.noteFetch(30_000);
    expect([30_001, 30_002, 30_003].map((t) => policy.tryAcquire(t))).toEqual([true, true, false]);
  });

  it('forgets an unknown kid after one cooldown', () => {
    const policy = new RefetchPolicy(30_000, 2);
    policy.rememberUnknown('x', 0);
    expect(policy.isKnownUnknown('x', 29_999)).toBe(true);
    expect(policy.isKnownUnknown('x', 30_000)).toBe(false);
    expect(policy.isKnownUnknown('x', 1)).toBe(false);
  });

  it('bounds the negative cache, forgetting the oldest kid first', () => {
    const policy = new RefetchPolicy(30_000, 2);
    for (let i = 0; i <= NEGATIVE_CACHE_SIZE; i++) policy.rememberUnknown(`k${i}`, 0);
    expect(policy.isKnownUnknown('k0', 1)).toBe(false);
    expect(policy.isKnownUnknown('k1', 1)).toBe(true);
    expect(policy.isKnownUnknown(`k${NEGATIVE_CACHE_SIZE}`, 1)).toBe(true);
  });
});
