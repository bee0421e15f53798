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
import { discoveryUrls } from './discovery.js';
import { createRemoteKeySource } from './remote.js';
import type { KeySource } from './types.js';

let server: JwksServer;
let k1: TestKey;

async function verify(src: KeySource, token: string) {
  const found = await src.getKey(decodeProtectedHeader(token), {});
  const [key] = Array.isArray(found) ? found : [found];
  return compactVerify(token, key as CryptoKey);
}

function discover(issuer: string) {
  return createRemoteKeySource({ issuer, discovery: true, algorithms: ['ES256'] });
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 0, 1));
  server = await startJwksServer();
  k1 = await makeKey('k1');
  server.routes.set('/keys', { body: { keys: [k1.jwk] } });
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('OIDC discovery and RFC 8414', () => {
  it('finds jwks_uri through /.well-known/openid-configuration and caches the document', async () => {
    const issuer = server.origin;
    server.routes.set('/.well-known/openid-configuration', {
      body: { issuer, jwks_uri: `${issuer}/keys` },
    });
    const src = discover(issuer);
    await verify(src, await sign(k1));
    await verify(src, await sign(k1));
    expect(server.count('/.well-known/openid-configuration')).toBe(1);
    expect(server.count('/keys')).toBe(1);
  });

  it('falls back to /.well-known/oauth-authorization-server with RFC 8414 path insertion', async () => {
    const issuer = `${server.origin}/tenant-a`;
    server.routes.set('/.well-known/oauth-authorization-server/tenant-a', {
      body: { issuer, jwks_uri: `${server.origin}/keys` },
    });
    await verify(discover(issuer), await sign(k1));
    expect(server.count('/tenant-a/.well-known/openid-configuration')).toBe(1);
    expect(server.count('/.well-known/oauth-authorization-server/tenant-a')).toBe(1);
  });

  it('refuses a discovery document whose issuer does not match exactly (503, keys never fetched)', async () => {
    server.routes.set('/.well-known/openid-configuration', {
      body: { issuer: `${server.origin}/`, jwks_uri: `${server.origin}/keys` },
    });
    const onFetchError = vi.fn();
    const src = createRemoteKeySource({
      issuer: server.origin,
      discovery: true,
      algorithms: ['ES256'],
      jwks: { onFetchError },
    });
    await expect(verify(src, await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
    expect(onFetchError.mock.calls[0]?.[0].error).toMatchObject({
      url: `${server.origin}/.well-known/openid-configuration`,
      failure: { kind: 'bad-discovery', reason: 'issuer-mismatch' },
    });
    expect(src.health?.().lastError).toMatch(/discovery document refused \(issuer-mismatch\)/);
    expect(server.count('/keys')).toBe(0);
  });

  it('does not fall back on a 5xx (an outage is not a missing document)', async () => {
    server.fault = { kind: 'status', status: 503 };
    await expect(verify(discover(server.origin), await sign(k1))).rejects.toBeInstanceOf(
      KeySetUnavailableError,
    );
    expect(server.count('/.well-known/oauth-authorization-server')).toBe(0);
  });

  it('refuses a jwks_uri that downgrades an https issuer to http', async () => {
    const calls: string[] = [];
    const fakeFetch = (async (url: string) => {
      calls.push(url);
      return Response.json({ issuer: 'https://id.example.com', jwks_uri: `${server.origin}/keys` });
    }) as unknown as typeof fetch;
    const src = createRemoteKeySource({
      issuer: 'https://id.example.com',
      discovery: true,
      algorithms: ['ES256'],
      jwks: { fetch: fakeFetch },
    });
    await expect(verify(src, await sign(k1))).rejects.toBeInstanceOf(KeySetUnavailableError);
    expect(calls).toEqual(['https://id.example.com/.well-known/openid-configuration']);
  });

  it('builds both metadata URLs for issuers with and without a path', () => {
    expect(discoveryUrls(new URL('https://a.example/')).map(String)).toEqual([
      'https://a.example/.well-known/openid-configuration',
      'https://a.example/.well-known/oauth-authorization-server',
    ]);
    expect(discoveryUrls(new URL('https://a.example/t/1/')).map(String)).toEqual([
      'https://a.example/t/1/.well-known/openid-configuration',
      'https://a.example/.well-known/oauth-authorization-server/t/1',
    ]);
  });

  it('keeps an unknown kid a 401 once the discovered set is loaded', async () => {
    server.routes.set('/.well-known/openid-configuration', {
      body: { issuer: server.origin, jwks_uri: `${server.origin}/keys` },
    });
    const other = await makeKey('other');
    await expect(verify(discover(server.origin), await sign(other))).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
  });

  it('keeps the last good discovery document while the metadata endpoint fails', async () => {
    const issuer = server.origin;
    server.routes.set('/.well-known/openid-configuration', {
      body: { issuer, jwks_uri: `${issuer}/keys` },
      cacheControl: 'max-age=60',
    });
    server.routes.set('/keys', { body: { keys: [k1.jwk] }, cacheControl: 'max-age=60' });
    const src = discover(issuer);
    await verify(src, await sign(k1));
    server.routes.delete('/.well-known/openid-configuration');
    vi.setSystemTime(Date.now() + 120_000); // both documents past their max age
    const other = await makeKey('k2');
    server.routes.set('/keys', { body: { keys: [k1.jwk, other.jwk] } });
    await verify(src, await sign(other)); // refetch on the new kid, with the cached jwks_uri
    expect(server.count('/.well-known/openid-configuration')).toBe(2);
    expect(server.count('/keys')).toBe(2);
  });
});
