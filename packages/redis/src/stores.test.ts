// The same store suite for every client library, against a real redis-server.
import { randomUUID } from 'node:crypto';
import {
  createTokenIssuer,
  generateSigningKey,
  InvalidRefreshTokenError,
  type RefreshTokenRecord,
  RefreshTokenReuseError,
} from '@tokengate/issuer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisStores, type RedisStores } from './index.js';
import { CLIENT_LIBRARIES, type TestClient } from './test-support/clients.js';
import { issuerOn } from './test-support/issuer.js';
import { startRedisServer, type TestRedisServer } from './test-support/redis-server.js';

let server: TestRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.close());

const HOUR = 3_600_000;
const record = (familyId: string, extra: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
  familyId,
  subject: 'user-1',
  claims: { scope: 'read', perms: [] },
  expiresAt: Date.now() + HOUR,
  ...extra,
});

describe.each(CLIENT_LIBRARIES)('stores over %s', (_name, connect) => {
  let test: TestClient;
  let stores: RedisStores;
  let prefix: string;

  beforeAll(async () => {
    test = await connect(server.url);
  });
  afterAll(() => test?.close());
  beforeEach(() => {
    prefix = `t${randomUUID()}:`;
    stores = createRedisStores({ client: test.client, prefix });
  });

  const keysUnderPrefix = async () => (await test.command('KEYS', `${prefix}*`)) as string[];
  /** Rotate refresh token `hash` to a successor `next` in family fam1, at `now`. */
  const rotate = (hash: string, next: string, now = Date.now()) =>
    stores.refreshTokens.rotate(hash, { hash: next, record: record('fam1') }, now);

  describe('refresh tokens', () => {
    it('keeps the record as opaque JSON: fields it does not know and empty arrays come back', async () => {
      const stored = record('fam1', { jkt: 'thumbprint' } as Partial<RefreshTokenRecord>);
      await stores.refreshTokens.insert('h1', stored);
      expect(await stores.refreshTokens.get('h1')).toEqual({ ...stored, state: 'active' });
      expect(await stores.refreshTokens.get('unknown')).toBeUndefined();
    });

    it('rotates an active token once: the old one is rotated at now, the successor active', async () => {
      const first = record('fam1');
      await stores.refreshTokens.insert('h1', first);
      const now = Date.now();
      const next = { hash: 'h2', record: record('fam1', { claims: { scope: 'write' } }) };
      const result = await stores.refreshTokens.rotate('h1', next, now);
      expect(result).toEqual({ ok: true, previous: { ...first, state: 'active' } });
      expect(await stores.refreshTokens.get('h1')).toEqual({
        ...first,
        state: 'rotated',
        rotatedAt: now,
      });
      expect(await stores.refreshTokens.get('h2')).toEqual({ ...next.record, state: 'active' });

      const again = await rotate('h1', 'h3', now);
      expect(again).toEqual({ ok: false, current: { ...first, state: 'rotated', rotatedAt: now } });
      expect(await stores.refreshTokens.get('h3')).toBeUndefined();
    });

    it('refuses to rotate an expired or unknown token and changes nothing', async () => {
      const old = record('fam1', { expiresAt: Date.now() + 1000 });
      await stores.refreshTokens.insert('h1', old);
      const later = old.expiresAt;
      const result = await rotate('h1', 'h2', later);
      expect(result).toEqual({ ok: false, current: { ...old, state: 'active' } });
      expect(await stores.refreshTokens.get('h2')).toBeUndefined();
      const unknown = await rotate('nope', 'h3', later);
      expect(unknown).toEqual({ ok: false, current: undefined });
    });

    it('refuses a successor of another family (its keys would live on another cluster slot)', async () => {
      await stores.refreshTokens.insert('h1', record('fam1'));
      await expect(
        stores.refreshTokens.rotate('h1', { hash: 'h2', record: record('fam2') }, Date.now()),
      ).rejects.toThrow(TypeError);
    });

    it('revokes every token of a family, and a revoked token no longer rotates', async () => {
      await stores.refreshTokens.insert('h1', record('fam1'));
      await rotate('h1', 'h2');
      await stores.refreshTokens.insert('other', record('fam2'));
      await stores.refreshTokens.revokeFamily('fam1');
      expect((await stores.refreshTokens.get('h1'))?.state).toBe('revoked');
      expect((await stores.refreshTokens.get('h2'))?.state).toBe('revoked');
      expect((await stores.refreshTokens.get('other'))?.state).toBe('active');
      const result = await rotate('h2', 'h3');
      expect(result.ok).toBe(false);
      expect(await stores.refreshTokens.get('h3')).toBeUndefined();
    });

    it('keeps the family key until its latest token expires', async () => {
      await stores.refreshTokens.insert('h1', record('fam1'));
      const later = record('fam1', { expiresAt: Date.now() + 2 * HOUR });
      await stores.refreshTokens.rotate('h1', { hash: 'h2', record: later }, Date.now());
      const familyTtl = Number(await test.command('PTTL', `${prefix}rt:{fam1}`));
      expect(familyTtl).toBeGreaterThan(HOUR + 60_000);
      expect(familyTtl).toBeLessThanOrEqual(2 * HOUR);
      // An earlier token joining the family does not shorten it.
      await stores.refreshTokens.insert('h3', record('fam1'));
      expect(Number(await test.command('PTTL', `${prefix}rt:{fam1}`))).toBeGreaterThan(
        HOUR + 60_000,
      );
    });

    it('lets exactly one of 1,000 concurrent rotations of one token win', async () => {
      await stores.refreshTokens.insert('h0', record('fam1'));
      const now = Date.now();
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => rotate('h0', `next${i}`, now)),
      );
      const elapsed = performance.now() - started;
      const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      console.info(
        `[redis ${_name}] 1,000 concurrent rotations: 1 winner in ${elapsed.toFixed(0)} ms`,
      );
      // Only the winner's successor exists, and the losers left no lookup key behind.
      const keys = await keysUnderPrefix();
      expect(keys.filter((k) => k.includes(':rt:hash:')).sort()).toEqual(
        [`${prefix}rt:hash:h0`, `${prefix}rt:hash:next${winners[0]}`].sort(),
      );
    });

    it('runs the issuer: one refresh wins, reuse revokes the family for every instance', async () => {
      const keys = await generateSigningKey('ES256');
      const options = {
        issuer: 'https://id.example',
        audience: 'api',
        keys,
        store: stores.refreshTokens,
      };
      const [a, b] = [createTokenIssuer(options), createTokenIssuer(options)];
      const login = await a.issueTokens('user-1', { scope: 'read' });
      const both = await Promise.allSettled([
        a.refresh(login.refresh_token),
        b.refresh(login.refresh_token),
      ]);
      const won = both.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const successor = (won[0] as PromiseFulfilledResult<{ refresh_token: string }>).value
        .refresh_token;
      // The loser's answer is the reuse: the family is revoked, the successor too.
      const lost = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(RefreshTokenReuseError);
      await expect(b.refresh(successor)).rejects.toMatchObject({ reason: 'revoked' });
      await expect(a.refresh(successor)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
    });
  });

  describe('revocations', () => {
    const nowSeconds = () => Math.floor(Date.now() / 1000);

    it('revokes one jti until its exp', async () => {
      const exp = nowSeconds() + 600;
      await stores.revocations.revokeToken({ jti: 'j1', exp });
      expect(await stores.revocations.isRevoked({ jti: 'j1', sub: 'u1', iat: nowSeconds() })).toBe(
        true,
      );
      expect(await stores.revocations.isRevoked({ jti: 'j2', sub: 'u1', iat: nowSeconds() })).toBe(
        false,
      );
      const ttl = Number(await test.command('PTTL', `${prefix}rv:jti:j1`));
      expect(ttl).toBeGreaterThan(600_000);
      expect(ttl).toBeLessThanOrEqual(660_000);
    });

    it('stores nothing for a token that has already expired', async () => {
      await stores.revocations.revokeToken({ jti: 'old', exp: nowSeconds() - 3600 });
      expect(await keysUnderPrefix()).toEqual([]);
    });

    it('revokes the tokens of a subject issued before the revocation, not those issued after', async () => {
      const issued = nowSeconds() - 10;
      await stores.revocations.revokeSubject('u1');
      expect(await stores.revocations.isRevoked({ sub: 'u1', iat: issued })).toBe(true);
      expect(await stores.revocations.isRevoked({ sub: 'u1', iat: nowSeconds() + 2 })).toBe(false);
      expect(await stores.revocations.isRevoked({ sub: 'u2', iat: issued })).toBe(false);
      // Without iat a token cannot show it came after: refused.
      expect(await stores.revocations.isRevoked({ sub: 'u1' })).toBe(true);
    });

    it('keeps the later of two revocation times', async () => {
      const now = Date.now();
      await stores.revocations.revokeSubject('u1', now);
      await stores.revocations.revokeSubject('u1', new Date(now - HOUR));
      expect(
        await stores.revocations.isRevoked({ sub: 'u1', iat: Math.floor(now / 1000) - 60 }),
      ).toBe(true);
    });

    it('revokes by a configured claim (a session), and refuses a claim it would never check', async () => {
      const sessions = createRedisStores({
        client: test.client,
        prefix,
        revocations: { claims: ['sub', 'sid'] },
      });
      await sessions.revocations.revokeClaim('sid', 's1');
      const iat = nowSeconds() - 5;
      expect(await sessions.revocations.isRevoked({ sub: 'u1', sid: 's1', iat })).toBe(true);
      expect(await sessions.revocations.isRevoked({ sub: 'u1', sid: 's2', iat })).toBe(false);
      await expect(stores.revocations.revokeClaim('sid', 's1')).rejects.toThrow(TypeError);
      await expect(stores.revocations.revokeToken({ jti: '' })).rejects.toThrow(TypeError);
    });
  });

  describe('DPoP replay', () => {
    it('lets exactly one of 200 concurrent claims of one key win, until it expires', async () => {
      const expiresAt = Date.now() + 300_000;
      const claims = await Promise.all(
        Array.from({ length: 200 }, () => stores.replay.claim('jkt.jti', expiresAt)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await stores.replay.claim('jkt.other', expiresAt)).toBe(true);
      await expect(stores.replay.claim('', expiresAt)).rejects.toThrow(TypeError);
      await expect(stores.replay.claim('k', Number.NaN)).rejects.toThrow(TypeError);
      const ttl = Number(await test.command('PTTL', `${prefix}dpop:jkt.jti`));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300_000);
    });
  });

  describe('JWKS cache', () => {
    it('round-trips an entry and keeps it for its max age plus the stale window', async () => {
      const entry = {
        jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] },
        fetchedAt: Date.now(),
        maxAge: 60_000,
      };
      await stores.jwksCache.set('https://id.example/jwks', entry);
      expect(await stores.jwksCache.get('https://id.example/jwks')).toEqual(entry);
      expect(await stores.jwksCache.get('https://other.example/jwks')).toBeUndefined();
      const ttl = Number(await test.command('PTTL', `${prefix}jwks:https://id.example/jwks`));
      expect(ttl).toBeGreaterThan(86_400_000);
      expect(ttl).toBeLessThanOrEqual(86_460_000);
    });

    it('reads a value that is not an entry as absent', async () => {
      await test.command('SET', `${prefix}jwks:https://id.example/jwks`, '{"not":"an entry"}');
      expect(await stores.jwksCache.get('https://id.example/jwks')).toBeUndefined();
      await test.command('SET', `${prefix}jwks:https://id.example/jwks`, 'not json');
      expect(await stores.jwksCache.get('https://id.example/jwks')).toBeUndefined();
    });
  });

  it('gives every key an expiry and never stores a token, only its hash', async () => {
    const { issuer, login } = await issuerOn(stores.refreshTokens);
    const refreshed = await issuer.refresh(login.refresh_token);
    await expect(issuer.refresh(login.refresh_token)).rejects.toBeInstanceOf(
      RefreshTokenReuseError,
    );
    await stores.revocations.revokeToken({ jti: 'j1', exp: Math.floor(Date.now() / 1000) + 60 });
    await stores.revocations.revokeSubject('user-1');
    await stores.replay.claim('proof', Date.now() + 60_000);
    await stores.jwksCache.set('https://id.example/jwks', {
      jwks: { keys: [] },
      fetchedAt: Date.now(),
    });

    const all = await keysUnderPrefix();
    expect(all.length).toBeGreaterThanOrEqual(9);
    for (const key of all) {
      expect(Number(await test.command('PTTL', key)), key).toBeGreaterThan(0);
      const dump = JSON.stringify(
        (await test.command('TYPE', key)) === 'hash'
          ? await test.command('HGETALL', key)
          : await test.command('GET', key),
      );
      for (const token of [login.refresh_token, refreshed.refresh_token]) {
        expect(key.includes(token) || dump.includes(token), key).toBe(false);
      }
    }
  });

  it('loads its scripts again when the server forgot them (NOSCRIPT)', async () => {
    await stores.refreshTokens.insert('h1', record('fam1'));
    await test.command('SCRIPT', 'FLUSH');
    expect((await stores.refreshTokens.get('h1'))?.state).toBe('active');
    const result = await rotate('h1', 'h2');
    expect(result.ok).toBe(true);
  });
});

describe('createRedisStores', () => {
  it('refuses something that is not a Redis client, and a bad timeout', () => {
    expect(() => createRedisStores({ client: {} })).toThrow(/node-redis .* ioredis/);
    expect(() => createRedisStores({ client: { evalsha() {}, set() {} }, timeout: 0 })).toThrow(
      /timeout/,
    );
  });
});
