import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidRefreshTokenError, RefreshTokenReuseError } from './errors.js';
import { MemoryRefreshTokenStore, type RefreshTokenRecord } from './refresh-store.js';

const record = (familyId: string, expiresAt: number): RefreshTokenRecord => ({
  familyId,
  subject: 'u1',
  claims: { org: 'acme' },
  expiresAt,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryRefreshTokenStore', () => {
  it('rotates a hash exactly once when two rotations race (compare-and-swap)', async () => {
    const store = new MemoryRefreshTokenStore();
    await store.insert('h0', record('f', 10_000));
    const [a, b] = await Promise.all([
      store.rotate('h0', { hash: 'h1', record: record('f', 20_000) }, 1000),
      store.rotate('h0', { hash: 'h2', record: record('f', 20_000) }, 1000),
    ]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    expect(b).toEqual({
      ok: false,
      current: expect.objectContaining({ state: 'rotated', rotatedAt: 1000 }),
    });
    expect(await store.get('h1')).toMatchObject({ state: 'active' });
    expect(await store.get('h2')).toBeUndefined();
  });

  it('does not rotate an expired, unknown or revoked token', async () => {
    const store = new MemoryRefreshTokenStore();
    await store.insert('old', record('f', 1000));
    const next = { hash: 'n', record: record('f', 5000) };
    expect(await store.rotate('old', next, 1000)).toMatchObject({
      ok: false,
      current: { state: 'active' },
    });
    expect(await store.rotate('missing', next, 0)).toEqual({ ok: false, current: undefined });
    await store.insert('live', record('g', 9000));
    await store.revokeFamily('g');
    expect(await store.rotate('live', next, 0)).toMatchObject({
      ok: false,
      current: { state: 'revoked' },
    });
    expect(await store.get('n')).toBeUndefined();
  });

  it('hands out copies, so callers cannot change stored records', async () => {
    const store = new MemoryRefreshTokenStore();
    const input = record('f', 9000);
    await store.insert('h', input);
    input.claims.org = 'evil';
    const got = await store.get('h');
    got!.state = 'revoked';
    expect(await store.get('h')).toMatchObject({ state: 'active', claims: { org: 'acme' } });
  });

  it('keeps a deep copy of the claims: nested values changed by a writer or a reader do not reach it', async () => {
    const store = new MemoryRefreshTokenStore();
    const input = { ...record('f', 9000), claims: { perms: ['r'], org: { id: 'acme' } } };
    await store.insert('h', input);
    input.claims.perms.push('w');
    input.claims.org.id = 'evil';
    const got = await store.get('h');
    (got!.claims.perms as string[]).push('x');
    const rotated = await store.rotate('h', { hash: 'h2', record: record('f', 9000) }, 0);
    expect(rotated.ok).toBe(true);
    if (rotated.ok) (rotated.previous.claims.perms as string[]).push('y');
    const failed = await store.rotate('h', { hash: 'h3', record: record('f', 9000) }, 0);
    if (!failed.ok) (failed.current!.claims.perms as string[]).push('z');
    expect((await store.get('h'))!.claims).toEqual({ perms: ['r'], org: { id: 'acme' } });
  });

  it('drops expired records every pruneEvery writes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(10_000);
    const store = new MemoryRefreshTokenStore({ pruneEvery: 3 });
    await store.insert('a', record('f', 5000));
    await store.insert('b', record('g', 5000));
    expect(store.size).toBe(2);
    await store.insert('c', record('h', 20_000));
    expect(store.size).toBe(1);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });
});

describe('issuer errors', () => {
  it('carry no WWW-Authenticate challenge and a stable code', () => {
    const invalid = new InvalidRefreshTokenError('expired');
    const reused = new RefreshTokenReuseError('fam-1');
    expect(invalid.wwwAuthenticate).toBeUndefined();
    expect(reused).toMatchObject({
      familyId: 'fam-1',
      statusCode: 400,
      name: 'RefreshTokenReuseError',
    });
    expect(reused.toJSON()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token is invalid',
      code: 'ERR_REFRESH_TOKEN_REUSED',
    });
  });
});
