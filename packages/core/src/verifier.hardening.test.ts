import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type JwksServer,
  makeKey,
  startJwksServer,
  type TestKey,
} from './test-support/jwks-server.js';
import {
  AUDIENCE,
  claims,
  ISSUER,
  NOW,
  SECRET,
  SECRET_BYTES,
  sign,
} from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

let server: JwksServer;
let k1: TestKey;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  server = await startJwksServer();
  k1 = await makeKey('k1');
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

const es256 = (iss = ISSUER) => sign(claims({ iss }), k1.privateKey, 'ES256', { kid: 'k1' });

describe('verifier.health()', () => {
  it('reports a single remote source by its issuer, empty then fresh', async () => {
    const verifier = createVerifier({
      jwksUri: `${server.origin}/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(verifier.health()).toEqual({
      state: 'empty',
      sources: { [ISSUER]: { state: 'empty', keyCount: 0 } },
    });
    await verifier.verify(await es256());
    expect(verifier.health()).toMatchObject({
      state: 'fresh',
      sources: { [ISSUER]: { state: 'fresh', keyCount: 1, lastFetchAt: NOW * 1000 } },
    });
  });

  it('reports each remote issuer and nothing for secrets; the worst state wins', async () => {
    const B = 'https://b.example/';
    const verifier = createVerifier({
      audience: AUDIENCE,
      issuers: [
        { issuer: ISSUER, jwksUri: `${server.origin}/jwks.json` },
        { issuer: B, jwksUri: `${server.origin}/b.json` },
        { issuer: 'https://hs.example/', secret: SECRET },
      ],
    });
    await verifier.verify(await es256());
    const health = verifier.health();
    expect(Object.keys(health.sources).sort()).toEqual([B, ISSUER]);
    expect(health.sources[ISSUER]?.state).toBe('fresh');
    expect(health.state).toBe('empty'); // B has never been fetched
    expect(createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret: SECRET }).health()).toEqual(
      { state: 'fresh', sources: {} },
    );
  });

  it('reports the issuers an issuers resolver currently keeps', async () => {
    const verifier = createVerifier({
      audience: AUDIENCE,
      issuers: (issuer) => ({ issuer, jwksUri: `${server.origin}/jwks.json` }),
    });
    expect(verifier.health()).toEqual({ state: 'fresh', sources: {} });
    await verifier.verify(await es256());
    expect(verifier.health().sources[ISSUER]).toMatchObject({ state: 'fresh', keyCount: 1 });
  });
});

describe('verified results are read-only', () => {
  it('refuses to mutate the claims, header or scopes of a cached hit, and nothing leaks', async () => {
    const verifier = createVerifier({
      issuer: ISSUER,
      secret: SECRET,
      audience: AUDIENCE,
      cache: true,
    });
    const token = await sign(
      claims({ roles: ['reader'], org: { id: 'acme' }, scope: 'read' }),
      SECRET_BYTES,
    );
    const first = await verifier.verify(token);
    const hit = await verifier.verify(token);
    for (const auth of [first, hit]) {
      const c = auth.claims as unknown as { sub: string; roles: string[]; org: { id: string } };
      expect(() => {
        c.sub = 'admin';
      }).toThrow(TypeError);
      expect(() => c.roles.push('admin')).toThrow(TypeError);
      expect(() => {
        c.org.id = 'evil';
      }).toThrow(TypeError);
      expect(() => {
        (auth.header as Record<string, unknown>).alg = 'none';
      }).toThrow(TypeError);
      expect(() => (auth.scopes as Set<string>).add('admin')).toThrow(TypeError);
      expect(() => (auth.scopes as Set<string>).delete('read')).toThrow(TypeError);
    }
    const next = await verifier.verify(token);
    expect(next.claims).toMatchObject({ sub: 'user-1', roles: ['reader'], org: { id: 'acme' } });
    expect([...next.scopes]).toEqual(['read']);
    expect(next.header.alg).toBe('HS256');
  });

  it('freezes the result of a verification without a cache too', async () => {
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret: SECRET });
    const auth = await verifier.verify(await sign(claims(), SECRET_BYTES));
    expect(Object.isFrozen(auth)).toBe(true);
    expect(Object.isFrozen(auth.claims)).toBe(true);
    expect(Object.isFrozen(auth.header)).toBe(true);
  });
});

describe('verifier.options', () => {
  it('never exposes the secret or decryption keys, and is not enumerable', async () => {
    const verifier = createVerifier({ issuer: ISSUER, secret: SECRET, audience: AUDIENCE });
    expect(verifier.options.audience).toBe(AUDIENCE);
    expect(verifier.options.secret).toBeUndefined();
    expect(Object.keys(verifier)).not.toContain('options');
    expect(JSON.stringify(verifier)).not.toContain(SECRET);
    const multi = createVerifier({
      issuers: [{ issuer: ISSUER, secret: SECRET, audience: AUDIENCE }],
    });
    expect(multi.options.issuers).toEqual([{ issuer: ISSUER, audience: AUDIENCE }]);
    expect(Object.isFrozen(multi.options)).toBe(true);
  });
});
