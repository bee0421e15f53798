import { scrypt } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticateUser, DEMO_USERS } from './users.js';

// Spy on scrypt, keeping the real one: the point is that it really runs.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});

const OWASP = { N: 16_384, r: 8, p: 1 };

describe('login timing (the dummy hash)', () => {
  beforeEach(() => {
    vi.mocked(scrypt).mockClear();
  });

  it('runs scrypt with the full parameters for an unknown user, as for a known one', async () => {
    expect(await authenticateUser(DEMO_USERS, 'mallory', 'wonderland')).toBeUndefined();
    expect(scrypt).toHaveBeenCalledTimes(1);
    expect(vi.mocked(scrypt).mock.calls[0]).toEqual([
      'wonderland',
      expect.any(Buffer),
      32,
      OWASP,
      expect.any(Function),
    ]);
    const unknown = vi.mocked(scrypt).mock.calls[0]!;

    expect(await authenticateUser(DEMO_USERS, 'alice', 'not-wonderland')).toBeUndefined();
    expect(scrypt).toHaveBeenCalledTimes(2);
    const known = vi.mocked(scrypt).mock.calls[1]!;
    // Same work: same key length, same cost parameters, a 16-byte salt in both cases.
    expect(known.slice(2, 4)).toEqual(unknown.slice(2, 4));
    expect((known[1] as Buffer).length).toBe(16);
    expect((unknown[1] as Buffer).length).toBe(16);
  });

  it('runs scrypt for an unknown user even with an empty password', async () => {
    expect(await authenticateUser(DEMO_USERS, 'nobody', '')).toBeUndefined();
    expect(scrypt).toHaveBeenCalledTimes(1);
  });
});
