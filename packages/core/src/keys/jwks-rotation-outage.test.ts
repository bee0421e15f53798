// A key rotated while the JWK Set endpoint was failing, as the soak run (`pnpm soak`) met it.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { KeySetUnavailableError } from '../errors.js';
import { type JwksServer, makeKey, sign, startJwksServer } from '../test-support/jwks-server.js';
import { createVerifier } from '../verifier.js';

let server: JwksServer;
beforeAll(async () => {
  server = await startJwksServer();
});
afterAll(() => server.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 0, 1));
});
afterEach(() => {
  vi.useRealTimers();
  server.fault = { kind: 'none' };
});

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

// Failed refetches spend the rotation budget like any fetch (an outage must not raise the
// fetch rate), so once the set is back a key rotated meanwhile cannot be looked up until the
// window ends. Until then its tokens are answered 503 (the key may have rotated), never
// refused as forgeries (401 "No matching key"), and they verify as soon as a fetch is allowed.
it('answers 503, not 401, for a key rotated during a JWK Set outage until it can refetch', async () => {
  const [k1, k2] = [await makeKey('k1'), await makeKey('k2')];
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
  const verifier = createVerifier({
    jwksUri: `${server.origin}/jwks.json`,
    issuer: false,
    audience: false,
    algorithms: ['ES256'],
    requireExp: false,
    jwks: { cooldownDuration: 30_000, rotationBudget: 2 },
  });
  await verifier.verify(await sign(k1));
  advance(31_000);
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk, k2.jwk] } });
  server.fault = { kind: 'status', status: 500 };
  const rotated = await sign(k2);
  // The outage: each attempt (spaced by the backoff) fails, each answered 503.
  for (const wait of [0, 1_100, 2_100]) {
    advance(wait);
    await expect(verifier.verify(rotated)).rejects.toBeInstanceOf(KeySetUnavailableError);
  }
  const fetches = server.count('/jwks.json');
  // The set is back inside the same window, whose fetches are spent: still 503, no fetch.
  advance(4_100);
  server.fault = { kind: 'none' };
  await expect(verifier.verify(rotated)).rejects.toBeInstanceOf(KeySetUnavailableError);
  expect(server.count('/jwks.json')).toBe(fetches);
  // The window ends: the rotated key is fetched and verifies.
  advance(30_000);
  await expect(verifier.verify(rotated)).resolves.toMatchObject({ header: { kid: 'k2' } });
});
