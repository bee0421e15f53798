import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import {
  type JwksServer,
  makeKey,
  sign,
  startJwksServer,
  type TestKey,
} from '../test-support/jwks-server.js';
import { MemoryJwksStore } from './jwks-store.js';
import { createRemoteKeySource } from './remote.js';
import type { JwksCacheEntry, RemoteJwksOptions } from './remote-options.js';

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
    server.fault = { kind: 'delay', ms: 60_000 }; // held: answers only after the test ends
    advance(2_000); // 81 s: past 80 % of the 100 s max age
    await getKey(src, token);
    // The call resolved while the refresh it started is still unanswered (no success, no error).
    expect(src.health?.()).toMatchObject({ lastFetchAt: firstFetchAt, state: 'fresh' });
    expect(src.health?.().lastError).toBeUndefined();
    await vi.waitFor(() => expect(server.count()).toBe(2));
  });

  it('clamps a huge max-age to maxCacheMaxAge', async () => {
    server.routes.set('/jwks.json', { body: { keys: [k1.jwk] }, cacheControl: 'max-age=31536000' });
    const src = source({ maxCacheMaxAge: 60_000 });
    await getKey(src, await sign(k1));
    advance(59_000);
    expect(src.health?.().state).toBe('fresh');
    advance(2_000); // 61 s: past the 60 s bound, far short of the year the header asked for
    expect(src.health?.().state).toBe('stale');
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

  it('adopts a newer set from a shared store on a routine refresh instead of fetching', async () => {
    const store = new MemoryJwksStore();
    const a = source({ store });
    const b = source({ store });
    const token = await sign(k1);
    await getKey(a, token);
    await getKey(b, token);
    expect(server.count()).toBe(1);
    advance(85_000);
    await getKey(a, token); // a refreshes in the background and writes the store
    await vi.waitFor(() => expect(server.count()).toBe(2));
    await getKey(b, token); // b finds a's newer set in the store
    await vi.waitFor(() => expect(b.health?.().state).toBe('fresh'));
    expect(server.count()).toBe(2);
  });

  it('answers 503 within the timeout even when an injected fetch ignores its signal', async () => {
    const never = (() => new Promise<Response>(() => undefined)) as unknown as typeof fetch;
    const src = source({ fetch: never, timeoutDuration: 100 });
    const started = performance.now();
    await expect(getKey(src, await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses a header whose kid is not a string without fetching', async () => {
    const src = source();
    await expect(src.getKey({ alg: 'ES256', kid: 42 as never }, {})).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
    expect(server.count()).toBe(0);
  });

  it('limits a long random-kid flood to one fetch plus the budget per cooldown window', async () => {
    const src = source({ cooldownDuration: 30_000, rotationBudget: 2 });
    await getKey(src, await sign(k1));
    const forged = await makeKey('x');
    for (let i = 0; i < 650; i++) {
      await expect(getKey(src, await sign({ ...forged, kid: `r${i}` }))).rejects.toBeInstanceOf(
        InvalidSignatureError,
      );
      advance(100); // 65 s: windows open at 0 s, 30 s and 60 s
    }
    expect(server.count()).toBeLessThanOrEqual(9);
    console.log(`[jwks] 650 random kids over 65 s (3 windows): ${server.count()} fetches`);
  });
});

describe('JWKS cache with a misbehaving store', () => {
  const never = <T>() => new Promise<T>(() => undefined);

  it('falls back to fetching when store.get never settles', async () => {
    const store = { get: vi.fn(never<JwksCacheEntry>), set: vi.fn(never<void>) };
    const src = source({ store, timeoutDuration: 200 });
    const keys = await getKey(src, await sign(k1));
    expect(keys).toHaveLength(1);
    expect(server.count()).toBe(1);
    expect(store.set).toHaveBeenCalledTimes(1); // a never-settling write did not hold the request
    await expect(getKey(src, await sign(k1))).resolves.toHaveLength(1);
  });

  it('answers 503 when store.get never settles and the endpoint is down', async () => {
    server.fault = { kind: 'status', status: 500 };
    const store = { get: never<JwksCacheEntry>, set: never<void> };
    const src = source({ store, timeoutDuration: 200 });
    await expect(getKey(src, await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
  });

  it('answers 503 when store.get never settles and the endpoint never answers', async () => {
    server.fault = { kind: 'delay', ms: 60_000 };
    const store = { get: never<JwksCacheEntry>, set: never<void> };
    const src = source({ store, timeoutDuration: 200 });
    await expect(getKey(src, await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
  });

  it('never fails a request because store.set throws or rejects', async () => {
    const throwing = {
      get: () => undefined,
      set: () => {
        throw new Error('store down');
      },
    };
    await expect(getKey(source({ store: throwing }), await sign(k1))).resolves.toHaveLength(1);
    const rejecting = {
      get: async () => undefined,
      set: async () => Promise.reject(new Error('x')),
    };
    await expect(getKey(source({ store: rejecting }), await sign(k1))).resolves.toHaveLength(1);
  });

  it('does not let a never-settling store hold a routine background refresh', async () => {
    const store = {
      get: vi.fn(async () => undefined as JwksCacheEntry | undefined),
      set: never<void>,
    };
    const src = source({ store, timeoutDuration: 200 });
    const token = await sign(k1);
    await getKey(src, token);
    const firstFetchAt = src.health?.().lastFetchAt ?? 0;
    store.get.mockImplementation(never);
    advance(85_000); // past 80 % of max-age=100: a routine refresh reads the store first
    await getKey(src, token);
    await vi.waitFor(() => expect(src.health?.().lastFetchAt).toBeGreaterThan(firstFetchAt));
    expect(server.count()).toBe(2);
  });
});
