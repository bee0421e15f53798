import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError } from '../errors.js';
import type { JwksCacheEntry, RemoteJwksOptions } from '../options.js';
import {
  type JwksServer,
  makeKey,
  sign,
  startJwksServer,
  type TestKey,
} from '../test-support/jwks-server.js';
import { MemoryJwksStore } from './jwks-cache.js';
import { createRemoteKeySource } from './remote.js';

let server: JwksServer;
let k1: TestKey;

function source(jwks: RemoteJwksOptions = {}) {
  return createRemoteKeySource({
    jwksUri: `${server.origin}/jwks.json`,
    algorithms: ['ES256'],
    jwks,
  });
}

async function getKey(src: ReturnType<typeof source>, token: string) {
  return src.getKey(decodeProtectedHeader(token), {});
}

function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 0, 1));
  server = await startJwksServer();
  k1 = await makeKey('k1');
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] }, cacheControl: 'max-age=100' });
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('JWKS cache', () => {
  it('honours Cache-Control max-age and refreshes in the background before expiry', async () => {
    const src = source();
    const token = await sign(k1);
    await getKey(src, token);
    const firstFetchAt = src.health?.().lastFetchAt ?? 0;
    advance(79_000);
    await getKey(src, token);
    expect(server.count()).toBe(1);
    server.fault = { kind: 'delay', ms: 300 };
    advance(2_000); // 81 s: past 80 % of the 100 s max age
    const started = performance.now();
    await getKey(src, token);
    expect(performance.now() - started).toBeLessThan(100); // did not wait for the refresh
    // vi.waitFor also moves the fake clock, so compare with the first fetch, not Date.now().
    await vi.waitFor(() => expect(src.health?.().lastFetchAt).toBeGreaterThan(firstFetchAt));
    expect(server.count()).toBe(2);
  });

  it('clamps a tiny max-age to minCacheMaxAge', async () => {
    server.routes.set('/jwks.json', { body: { keys: [k1.jwk] }, cacheControl: 'max-age=1' });
    const src = source({ minCacheMaxAge: 30_000 });
    const token = await sign(k1);
    await getKey(src, token);
    advance(20_000);
    await getKey(src, token);
    expect(server.count()).toBe(1);
    expect(src.health?.().state).toBe('fresh');
  });

  it('starts from a pluggable store without fetching and writes fetched sets to it', async () => {
    const entries = new Map<string, JwksCacheEntry>();
    entries.set(`${server.origin}/jwks.json`, {
      jwks: { keys: [k1.jwk] },
      fetchedAt: Date.now(),
      maxAge: 60_000,
    });
    const store = { get: async (uri: string) => entries.get(uri), set: vi.fn() };
    await getKey(source({ store }), await sign(k1));
    expect(server.count()).toBe(0);
    const memory = new MemoryJwksStore();
    await getKey(source({ store: memory }), await sign(k1));
    expect(memory.get(`${server.origin}/jwks.json`)).toMatchObject({ maxAge: 100_000 });
  });

  it('reports health and calls onFetch; a throwing hook never breaks verification', async () => {
    const onFetch = vi.fn(() => {
      throw new Error('logger down');
    });
    const src = source({ onFetch });
    expect(src.health?.()).toEqual({ state: 'empty', keyCount: 0 });
    await getKey(src, await sign(k1));
    expect(onFetch).toHaveBeenCalledWith(
      expect.objectContaining({ uri: `${server.origin}/jwks.json`, keyCount: 1 }),
    );
    expect(src.health?.()).toEqual({ state: 'fresh', keyCount: 1, lastFetchAt: Date.now() });
  });

  it('never fetches a jku or x5u named by the token header', async () => {
    const src = source();
    const forged = await makeKey('forged');
    server.routes.set('/evil', { body: { keys: [forged.jwk] } });
    const token = await sign(forged, {
      jku: `${server.origin}/evil`,
      x5u: `${server.origin}/evil`,
    });
    await expect(getKey(src, token)).rejects.toBeInstanceOf(InvalidSignatureError);
    expect(server.count('/evil')).toBe(0);
  });

  it('refuses bad options at construction with a TypeError', () => {
    const make = (o: object) => () =>
      createRemoteKeySource({ algorithms: ['ES256'], ...o } as Parameters<
        typeof createRemoteKeySource
      >[0]);
    expect(make({ jwksUri: 'http://id.example.com/jwks' })).toThrow(TypeError);
    expect(make({})).toThrow(/jwksUri, or issuer/);
    expect(make({ issuer: 'http://id.example.com', discovery: true })).toThrow(/https/);
    expect(make({ jwksUri: `${server.origin}/j`, jwks: { timeout: 5 } })).toThrow(/jwks.timeout/);
    expect(make({ jwksUri: `${server.origin}/j`, jwks: { cooldownDuration: -1 } })).toThrow(
      /cooldownDuration/,
    );
    expect(make({ jwksUri: `${server.origin}/j`, algorithms: [] })).toThrow(/algorithms/);
  });
});
