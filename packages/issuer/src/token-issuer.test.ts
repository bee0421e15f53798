import { StoreUnavailableError } from '@tokengate/core';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidRefreshTokenError, RefreshTokenReuseError } from './errors.js';
import { createKeyRing } from './key-ring.js';
import { MemoryRefreshTokenStore } from './refresh-store.js';
import { keyFor } from './test-support/keys.js';
import { createTokenIssuer, type TokenIssuerOptions } from './token-issuer.js';

const NOW = new Date('2026-01-01T00:00:00Z');

async function setup(extra: Partial<TokenIssuerOptions> = {}) {
  const store = new MemoryRefreshTokenStore();
  const ring = createKeyRing(await keyFor('ES256'));
  const tokens = createTokenIssuer({
    issuer: 'https://id.example',
    audience: 'api',
    keys: ring,
    store,
    ...extra,
  });
  const verify = (jwt: string) =>
    jwtVerify(jwt, createLocalJWKSet(tokens.jwks()), {
      issuer: 'https://id.example',
      audience: 'api',
      typ: 'at+jwt',
    });
  return { tokens, store, ring, verify };
}

const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof InvalidRefreshTokenError ? e.reason : e),
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createTokenIssuer', () => {
  it('issues a Bearer pair: an RFC 9068 access token and an opaque refresh token', async () => {
    const { tokens, verify } = await setup();
    const pair = await tokens.issueTokens('user-1', { scope: 'read:things', org: 'acme' });
    expect(pair).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      token_type: 'Bearer',
      expires_in: 900,
    });
    const { payload, protectedHeader } = await verify(pair.access_token);
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: 'user-1', scope: 'read:things', org: 'acme' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('stores only the SHA-256 hash of the refresh token', async () => {
    const { tokens, store } = await setup();
    const { refresh_token } = await tokens.issueTokens('user-1');
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(refresh_token));
    const hash = Buffer.from(digest).toString('base64url');
    expect(await store.get(refresh_token)).toBeUndefined();
    expect(await store.get(hash)).toMatchObject({ subject: 'user-1', state: 'active' });
  });

  it('rotates on refresh: a new pair with the same claims, and the old token stops working', async () => {
    const { tokens, verify } = await setup({ accessTokenTtl: 60 });
    const first = await tokens.issueTokens('user-1', { org: 'acme' });
    vi.setSystemTime(new Date(NOW.getTime() + 30_000));
    const second = await tokens.refresh(first.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.expires_in).toBe(60);
    const { payload } = await verify(second.access_token);
    expect(payload).toMatchObject({ sub: 'user-1', org: 'acme', iat: NOW.getTime() / 1000 + 30 });
    await expect(tokens.refresh(second.refresh_token)).resolves.toBeDefined();
  });

  it('refreshes with the claims as given at login, even if the caller changes nested values later', async () => {
    const { tokens, verify } = await setup();
    const claims = { perms: ['read'], org: { id: 'acme' } };
    const first = await tokens.issueTokens('user-1', claims);
    claims.perms.push('admin');
    claims.org.id = 'evil';
    const second = await tokens.refresh(first.refresh_token);
    const { payload } = await verify(second.access_token);
    expect(payload).toMatchObject({ perms: ['read'], org: { id: 'acme' } });
  });

  it('gives every access token of a family its own jti', async () => {
    const { tokens, verify } = await setup();
    const first = await tokens.issueTokens('user-1', { org: 'acme' });
    const second = await tokens.refresh(first.refresh_token);
    const third = await tokens.refresh(second.refresh_token);
    const ids = await Promise.all(
      [first, second, third].map(async (p) => (await verify(p.access_token)).payload.jti),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it.each([
    'jti',
    'iat',
    'exp',
    'nbf',
    'iss',
    'aud',
    'sub',
  ])('refuses a reserved "%s" in the claims of issueTokens with a TypeError, storing nothing', async (name) => {
    const { tokens, store } = await setup();
    const error = await tokens.issueTokens('user-1', { [name]: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      `"${name}" is set by the issuer; it cannot be given in the claims`,
    );
    expect(store.size).toBe(0);
  });

  it('refuses claims that are not JSON-like values with a TypeError, storing nothing', async () => {
    const { tokens, store } = await setup();
    await expect(tokens.issueTokens('user-1', { f: () => 1 })).rejects.toThrow(
      /"claims" must hold JSON values/,
    );
    await expect(tokens.issueTokens('user-1', { n: 1n })).rejects.toThrow(TypeError);
    expect(store.size).toBe(0);
  });

  it('revokes the whole family when an already-rotated refresh token is reused', async () => {
    const { tokens } = await setup();
    const first = await tokens.issueTokens('user-1');
    const second = await tokens.refresh(first.refresh_token);
    const error = await tokens.refresh(first.refresh_token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshTokenReuseError);
    expect(error).toMatchObject({ code: 'ERR_REFRESH_TOKEN_REUSED', status: 400 });
    expect(await reasonOf(tokens.refresh(second.refresh_token))).toBe('revoked');
  });

  it('leaves other families alone when one is revoked for reuse', async () => {
    const { tokens } = await setup();
    const mine = await tokens.issueTokens('user-1');
    const other = await tokens.issueTokens('user-1');
    await tokens.refresh(mine.refresh_token);
    await expect(tokens.refresh(mine.refresh_token)).rejects.toThrow(RefreshTokenReuseError);
    await expect(tokens.refresh(other.refresh_token)).resolves.toBeDefined();
  });

  it('lets exactly one of 20 concurrent refreshes win; the losers revoke the family as reuse', async () => {
    const { tokens } = await setup();
    const { refresh_token } = await tokens.issueTokens('user-1');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => tokens.refresh(refresh_token)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    // A loser that sees the token rotated detects reuse and revokes the family; a loser that
    // comes after that finds the token revoked.
    const reasons = lost.map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(reasons.some((e) => e instanceof RefreshTokenReuseError)).toBe(true);
    for (const e of reasons) {
      if (!(e instanceof RefreshTokenReuseError)) expect(e).toMatchObject({ reason: 'revoked' });
    }
    const winner = (won[0] as PromiseFulfilledResult<{ refresh_token: string }>).value;
    expect(await reasonOf(tokens.refresh(winner.refresh_token))).toBe('revoked');
  });

  it('revokes the family on a reuse that read the clock before the winning rotation', async () => {
    // Another instance rotated the token a moment after this request read its clock: the
    // rotation's time is later than this request's `now`. Without a reuseInterval that is still
    // a reuse, not a grace-period race.
    class RotatedLater extends MemoryRefreshTokenStore {
      override rotate(...[hash, next, now]: Parameters<MemoryRefreshTokenStore['rotate']>) {
        return super.rotate(hash, next, now + 1000);
      }
    }
    const { tokens } = await setup({ store: new RotatedLater() });
    const { refresh_token } = await tokens.issueTokens('user-1');
    const winner = await tokens.refresh(refresh_token);
    await expect(tokens.refresh(refresh_token)).rejects.toThrow(RefreshTokenReuseError);
    expect(await reasonOf(tokens.refresh(winner.refresh_token))).toBe('revoked');
  });

  it('with a reuseInterval, refuses racing refreshes without revoking the winner', async () => {
    const { tokens } = await setup({ reuseInterval: '10s' });
    const { refresh_token } = await tokens.issueTokens('user-1');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => tokens.refresh(refresh_token)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ reason: 'rotated' });
    }
    const winner = (won[0] as PromiseFulfilledResult<{ refresh_token: string }>).value;
    vi.setSystemTime(new Date(NOW.getTime() + 10_000));
    await expect(tokens.refresh(refresh_token)).rejects.toThrow(RefreshTokenReuseError);
    expect(await reasonOf(tokens.refresh(winner.refresh_token))).toBe('revoked');
  });

  it('revokes the family on revoke(), and answers false for an unknown token', async () => {
    const { tokens } = await setup();
    const first = await tokens.issueTokens('user-1');
    const second = await tokens.refresh(first.refresh_token);
    expect(await tokens.revoke(second.refresh_token)).toBe(true);
    expect(await reasonOf(tokens.refresh(second.refresh_token))).toBe('revoked');
    expect(await tokens.revoke('A'.repeat(43))).toBe(false);
    expect(await tokens.revoke('not a token')).toBe(false);
    expect(await tokens.revoke(undefined as never)).toBe(false);
  });

  it('refuses an expired refresh token, and keeps refreshing before expiry', async () => {
    const { tokens } = await setup({ refreshTokenTtl: '1d' });
    const a = await tokens.issueTokens('user-1');
    vi.setSystemTime(new Date(NOW.getTime() + 86_399_000));
    const b = await tokens.refresh(a.refresh_token);
    vi.setSystemTime(new Date(NOW.getTime() + 2 * 86_399_000));
    const c = await tokens.refresh(b.refresh_token);
    vi.setSystemTime(new Date(NOW.getTime() + 3 * 86_399_000 + 1000));
    expect(await reasonOf(tokens.refresh(c.refresh_token))).toBe('expired');
  });

  it.each([
    ['an unknown token', 'A'.repeat(43), 'unknown'],
    ['a token with a wrong length', 'abc', 'malformed'],
    ['a token with foreign characters', `${'A'.repeat(42)}=`, 'malformed'],
    ['an empty string', '', 'malformed'],
    ['a non-string', 42, 'malformed'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.e30.sig', 'malformed'],
  ])('refuses %s with InvalidRefreshTokenError', async (_name, input, reason) => {
    const { tokens } = await setup();
    const error = await tokens.refresh(input as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRefreshTokenError);
    expect(error).toMatchObject({ reason, status: 400, code: 'ERR_REFRESH_TOKEN_INVALID' });
  });

  it('answers refresh failures as RFC 6749 §5.2 invalid_grant with no-store and no challenge', async () => {
    const { tokens } = await setup();
    const error = (await tokens
      .refresh('A'.repeat(43))
      .catch((e: unknown) => e)) as InvalidRefreshTokenError;
    expect(error.toResponse()).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: {
        error: 'invalid_grant',
        error_description: 'The refresh token is invalid',
        code: 'ERR_REFRESH_TOKEN_INVALID',
      },
    });
    expect(JSON.stringify(error.toJSON())).not.toContain('unknown');
  });

  it('answers a failing store with 503 temporarily_unavailable, keeping the token usable', async () => {
    const { tokens, store } = await setup();
    const pair = await tokens.issueTokens('u1');
    const get = store.get.bind(store);
    store.get = () => Promise.reject(new Error('db down'));
    const error = (await tokens
      .refresh(pair.refresh_token)
      .catch((e: unknown) => e)) as StoreUnavailableError;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.toResponse()).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '5', 'Cache-Control': 'no-store' },
      body: { error: 'temporarily_unavailable', code: 'ERR_STORE_UNAVAILABLE' },
    });
    store.get = get;
    await expect(tokens.refresh(pair.refresh_token)).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('signs access tokens with the ring current key after a key rotation', async () => {
    const { tokens, ring, verify } = await setup();
    const before = await tokens.issueTokens('user-1');
    ring.rotate(await keyFor('EdDSA'));
    const after = await tokens.refresh(before.refresh_token);
    expect(decodeProtectedHeader(after.access_token)).toMatchObject({
      alg: 'EdDSA',
      kid: ring.current.kid,
    });
    await expect(verify(before.access_token)).resolves.toBeDefined();
    await expect(verify(after.access_token)).resolves.toBeDefined();
  });

  it('signs other kinds of token with its own typ through sign()', async () => {
    const { tokens } = await setup();
    const idToken = await tokens.sign(
      { sub: 'user-1', aud: 'client' },
      { expiresIn: '5m', typ: 'JWT' },
    );
    const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(tokens.jwks()));
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload.iss).toBe('https://id.example');
  });

  it('accepts a single key instead of a ring', async () => {
    const tokens = createTokenIssuer({
      issuer: 'i',
      audience: ['a', 'b'],
      keys: await keyFor('RS256'),
    });
    const { access_token } = await tokens.issueTokens('user-1');
    await expect(jwtVerify(access_token, createLocalJWKSet(tokens.jwks()))).resolves.toBeDefined();
  });

  it('refuses bad options and bad arguments with a TypeError before storing anything', async () => {
    const key = await keyFor('ES256');
    const base = { issuer: 'i', audience: 'a', keys: key };
    expect(() => createTokenIssuer(undefined as never)).toThrow(TypeError);
    expect(() => createTokenIssuer({ ...base, issuer: '' })).toThrow(/"issuer"/);
    expect(() => createTokenIssuer({ ...base, acessTokenTtl: 60 } as never)).toThrow(
      /Unknown option "acessTokenTtl"/,
    );
    expect(() => createTokenIssuer({ ...base, audience: [] })).toThrow(/"audience"/);
    expect(() => createTokenIssuer({ ...base, accessTokenTtl: '15 minutes later' })).toThrow(
      /accessTokenTtl/,
    );
    expect(() => createTokenIssuer({ ...base, refreshTokenTtl: -1 })).toThrow(/refreshTokenTtl/);
    expect(() => createTokenIssuer({ ...base, store: {} as never })).toThrow(/"store"/);
    expect(() => createTokenIssuer({ ...base, keys: {} as never })).toThrow(TypeError);
    const { tokens, store } = await setup();
    await expect(tokens.issueTokens('')).rejects.toThrow(/"subject"/);
    await expect(tokens.issueTokens('u', null as never)).rejects.toThrow(/"claims"/);
    await expect(tokens.issueTokens('u', { exp: 1 })).rejects.toThrow(/"exp"/);
    expect(store.size).toBe(0);
  });
});
