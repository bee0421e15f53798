import { compactVerify, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import {
  type JwksServer,
  makeKey,
  sign,
  startJwksServer,
  type TestKey,
} from '../test-support/jwks-server.js';
import { createRemoteKeySource } from './remote.js';
import type { RemoteJwksOptions } from './remote-options.js';
import type { KeySource } from './types.js';

const T0 = Date.UTC(2026, 0, 1);
let server: JwksServer;
let k1: TestKey;
let k2: TestKey;
let k3: TestKey;

function publish(...keys: TestKey[]) {
  server.routes.set('/jwks.json', { body: { keys: keys.map((k) => k.jwk) } });
}

function source(jwks: RemoteJwksOptions = {}): KeySource {
  return createRemoteKeySource({
    jwksUri: `${server.origin}/jwks.json`,
    algorithms: ['ES256'],
    jwks,
  });
}

async function verify(src: KeySource, token: string) {
  const found = await src.getKey(decodeProtectedHeader(token), {});
  for (const key of Array.isArray(found) ? found : [found]) {
    try {
      return await compactVerify(token, key as CryptoKey);
    } catch {}
  }
  throw new Error('no key verified the signature');
}

function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  server = await startJwksServer();
  [k1, k2, k3] = await Promise.all([makeKey('k1'), makeKey('k2'), makeKey('k3')]);
  publish(k1);
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('key rotation', () => {
  it('accepts a rotated kid after one refetch, within the cooldown thanks to the budget', async () => {
    const src = source();
    await verify(src, await sign(k1));
    expect(server.count()).toBe(1);
    publish(k1, k2);
    advance(1_000);
    await verify(src, await sign(k2));
    publish(k1, k2, k3);
    await verify(src, await sign(k3));
    expect(server.count()).toBe(3);
    console.log(`[jwks] rotation twice within one cooldown: ${server.count()} fetches`);
  });

  it('with a budget of 0, refuses a rotated kid until the cooldown ends, then accepts it', async () => {
    const src = source({ rotationBudget: 0 });
    await verify(src, await sign(k1));
    publish(k1, k2);
    await expect(verify(src, await sign(k2))).rejects.toBeInstanceOf(InvalidSignatureError);
    expect(server.count()).toBe(1);
    advance(30_001);
    await verify(src, await sign(k2));
    expect(server.count()).toBe(2);
  });

  it('makes exactly one fetch for 200 concurrent requests with a new kid', async () => {
    const src = source();
    await verify(src, await sign(k1));
    publish(k1, k2);
    server.fault = { kind: 'delay', ms: 50 };
    const token = await sign(k2);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => verify(src, token)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(server.count()).toBe(2);
    console.log(`[jwks] 200 concurrent new-kid requests: ${server.count() - 1} fetch`);
  });

  it('makes exactly one fetch for 200 concurrent requests on a cold start', async () => {
    const src = source();
    server.fault = { kind: 'delay', ms: 50 };
    const token = await sign(k1);
    await Promise.all(Array.from({ length: 200 }, () => verify(src, token)));
    expect(server.count()).toBe(1);
  });
});

describe('random kid flood', () => {
  it('costs no more fetches than the cooldown windows plus the budget allow', async () => {
    const src = source();
    await verify(src, await sign(k1));
    const forged = await makeKey('x');
    let refused = 0;
    for (let i = 0; i < 50; i++) {
      const batch = Array.from({ length: 10 }, async (_, j) =>
        verify(src, await sign({ ...forged, kid: `rand-${i}-${j}-${Math.random()}` })),
      );
      for (const r of await Promise.allSettled(batch)) {
        if (r.status === 'rejected' && r.reason instanceof InvalidSignatureError) refused++;
      }
      advance(100); // 500 kids over 5 s
    }
    expect(refused).toBe(500);
    // 1 warm-up + at most 2 budget fetches in the single 30 s window.
    expect(server.count()).toBeLessThanOrEqual(3);
    console.log(`[jwks] 500 random kids in 5 s: ${server.count()} fetches (incl. warm-up)`);
    await verify(src, await sign(k1));
  });

  it('refuses a repeated unknown kid from the negative cache without fetching', async () => {
    const src = source({ cooldownDuration: 30_000, rotationBudget: 5 });
    await verify(src, await sign(k1));
    const token = await sign({ ...k2, kid: 'ghost' });
    await expect(verify(src, token)).rejects.toBeInstanceOf(InvalidSignatureError);
    const after = server.count();
    for (let i = 0; i < 20; i++)
      await expect(verify(src, token)).rejects.toThrow(/No matching key/);
    expect(server.count()).toBe(after);
  });
});

describe('stale-if-error', () => {
  it('keeps accepting valid tokens within the stale window and answers 503 after it', async () => {
    const onStale = vi.fn();
    const onFetchError = vi.fn();
    const src = source({
      cacheMaxAge: 60_000,
      staleIfErrorDuration: 120_000,
      onStale,
      onFetchError,
    });
    const token = await sign(k1);
    await verify(src, token);
    server.fault = { kind: 'status', status: 500 };
    advance(61_000);
    await verify(src, token);
    await vi.waitFor(() => expect(onFetchError).toHaveBeenCalled());
    expect(onFetchError.mock.calls[0]?.[0]).toMatchObject({
      uri: `${server.origin}/jwks.json`,
      url: `${server.origin}/jwks.json`,
      cause: { kind: 'http-status', status: 500 },
    });
    expect(onStale).toHaveBeenCalledWith(expect.objectContaining({ ageMs: 61_000 }));
    advance(60_000);
    await verify(src, token);
    expect(src.health?.()).toMatchObject({
      state: 'stale',
      keyCount: 1,
      lastError: expect.stringContaining('500'),
    });
    advance(60_000);
    const error = await verify(src, token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect((error as KeySetUnavailableError).status).toBe(503);
    expect((error as KeySetUnavailableError).retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 (not 401) for an unknown kid while the endpoint is failing', async () => {
    const src = source({ cacheMaxAge: 60_000 });
    await verify(src, await sign(k1));
    server.fault = { kind: 'status', status: 500 };
    await expect(verify(src, await sign(k2))).rejects.toBeInstanceOf(KeySetUnavailableError);
    await expect(verify(src, await sign(k3))).rejects.toBeInstanceOf(KeySetUnavailableError);
    await verify(src, await sign(k1));
  });
});

describe('cold start with a broken endpoint', () => {
  it('answers 503 within the timeout when the endpoint answers after 10 s', async () => {
    server.fault = { kind: 'delay', ms: 10_000 };
    const src = source({ timeoutDuration: 200 });
    const started = performance.now();
    const error = await verify(src, await sign(k1)).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect(elapsed).toBeLessThan(1_000);
    console.log(
      `[jwks] cold start, endpoint answering after 10 s: 503 after ${Math.round(elapsed)} ms`,
    );
  });

  it.each([
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['an HTML page', { kind: 'html' }],
    ['invalid JSON', { kind: 'invalid-json' }],
    ['a 5 MB body', { kind: 'huge', bytes: 5 * 1024 * 1024 }],
  ] as const)('answers 503 for %s and recovers once the endpoint is fixed', async (_, fault) => {
    server.fault = fault;
    const src = source();
    const error = await verify(src, await sign(k1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect(JSON.stringify((error as KeySetUnavailableError).toJSON())).not.toMatch(/at |node:/);
    expect(src.health?.()).toMatchObject({ state: 'empty', keyCount: 0 });
    server.fault = { kind: 'none' };
    await expect(verify(src, await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
    advance(1_001); // past the 1 s failure backoff
    await verify(src, await sign(k1));
  });

  it('refuses a JWK Set with no usable key but skips a malformed one next to a good one', async () => {
    server.routes.set('/jwks.json', {
      body: { keys: [{ kty: 'EC', kid: 'bad', crv: 'P-256', x: '!!' }] },
    });
    await expect(verify(source(), await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
    server.routes.set('/jwks.json', {
      body: { keys: [{ kty: 'EC', kid: 'bad', crv: 'P-256', x: '!!' }, 42, k1.jwk] },
    });
    const src = source();
    await verify(src, await sign(k1));
    expect(src.health?.()).toMatchObject({ state: 'fresh', keyCount: 1 });
  });
});
