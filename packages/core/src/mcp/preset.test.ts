import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VerifierOptions } from '../options.js';
import { claims, keyPairs, NOW, SECRET, sign } from '../test-support/tokens.js';
import { createVerifier } from '../verifier.js';
import { type McpResourceOptions, mcpResource } from './preset.js';
import { canonicalResourceUri } from './resource-uri.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const AS = 'https://id.example.com';
const base = { resource: RESOURCE, authorizationServers: [AS] };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => vi.useRealTimers());

describe('canonicalResourceUri', () => {
  it.each([
    'https://mcp.example.com/mcp',
    'https://mcp.example.com',
    'https://mcp.example.com/',
    'https://mcp.example.com:8443/server/mcp',
    'https://mcp.example.com/mcp/',
    'http://127.0.0.1:3000/mcp',
    'http://localhost:3000/mcp',
    'http://[::1]:3000/mcp',
  ])('accepts %s unchanged', (uri) => {
    expect(canonicalResourceUri(uri, 'here')).toBe(uri);
  });

  it.each([
    ['HTTPS://mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['https://MCP.Example.com/mcp', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com:443/mcp', 'https://mcp.example.com/mcp'],
    ['http://127.0.0.1:80/mcp', 'http://127.0.0.1/mcp'],
    ['https://mcp.example.com/a/../mcp', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com:443', 'https://mcp.example.com'],
  ])('refuses the non-canonical %s, naming %s', (uri, canonical) => {
    expect(() => canonicalResourceUri(uri, 'here')).toThrow(
      new TypeError(
        `here: "resource" must be the canonical URI "${canonical}" (lowercase scheme and host, no default port), got "${uri}"`,
      ),
    );
  });

  it.each([
    [undefined, /absolute https URL/],
    ['', /absolute https URL/],
    [42, /absolute https URL/],
    ['mcp.example.com', /absolute https URL/],
    ['/mcp', /absolute https URL/],
    ['https://mcp.example.com/mcp#frag', /fragment/],
    ['https://mcp.example.com/mcp#', /fragment/],
    ['https://mcp.example.com/mcp?tenant=1', /query/],
    ['https://user:pw@mcp.example.com/mcp', /without credentials/],
    ['http://mcp.example.com/mcp', /https URL/],
    ['ftp://mcp.example.com/mcp', /https URL/],
  ])('refuses %s', (uri, message) => {
    expect(() => canonicalResourceUri(uri, 'here')).toThrow(TypeError);
    expect(() => canonicalResourceUri(uri, 'here')).toThrow(message);
  });
});

describe('mcpResource', () => {
  it('sets the audience to the resource, the issuer from the authorization server, discovery and the metadata', () => {
    expect(mcpResource(base)).toEqual({
      audience: RESOURCE,
      issuer: AS,
      discovery: true,
      resource: { resource: RESOURCE, authorizationServers: [AS] },
    });
  });

  it('lists every tool scope in scopes_supported, after the given ones, once each', () => {
    const options = mcpResource({
      ...base,
      scopesSupported: ['profile'],
      toolScopes: { a: 'notes:read', b: ['notes:read', 'notes:write'] },
      metadata: { resourceName: 'Notes' },
    });
    expect(options.resource).toEqual({
      resourceName: 'Notes',
      resource: RESOURCE,
      authorizationServers: [AS],
      scopesSupported: ['profile', 'notes:read', 'notes:write'],
    });
  });

  it('announces no scopes for an empty tool map', () => {
    expect(mcpResource({ ...base, toolScopes: {} }).resource).not.toHaveProperty('scopesSupported');
    expect(() => createVerifier(mcpResource({ ...base, toolScopes: {} }))).not.toThrow();
  });

  it('keeps a given key source and issuer', () => {
    const options = mcpResource({
      ...base,
      jwksUri: `${AS}/jwks`,
      issuer: 'https://other.example/',
    });
    expect(options).toMatchObject({ jwksUri: `${AS}/jwks`, issuer: 'https://other.example/' });
    expect(options.discovery).toBeUndefined();
  });

  it('gives several authorization servers one discovered issuer entry each', () => {
    const options = mcpResource({ ...base, authorizationServers: [AS, 'https://b.example'] });
    expect(options.issuers).toEqual([
      { issuer: AS, discovery: true },
      { issuer: 'https://b.example', discovery: true },
    ]);
    expect(options.issuer).toBeUndefined();
    expect(options.audience).toBe(RESOURCE);
  });

  it.each([
    [{ audience: false }, /"audience" is set by the preset/],
    [{ audience: 'api' }, /"audience" is set by the preset/],
    [{ resourceMetadata: 'https://x.example/' }, /"resourceMetadata" is set by the preset/],
    [{ issuer: false }, /"issuer" cannot be false/],
    [{ issuer: undefined }, /"issuer" is undefined/],
    [{ authorizationServers: [] }, /non-empty array/],
    [{ authorizationServers: 'https://id.example.com' }, /non-empty array/],
    [{ authorizationServers: ['not a url'] }, /issuer URLs/],
    [{ resource: 'https://MCP.example.com/mcp' }, /canonical URI "https:\/\/mcp.example.com\/mcp"/],
    [{ toolScopes: { a: 'bad scope' } }, /tool "a": "bad scope" is not a valid scope token/],
    [{ toolScopes: { a: [] } }, /tool "a": at least one scope/],
    [{ metadata: 'x' }, /"metadata" must be an object/],
    [{ issuers: () => undefined }, /"issuers" must be an array/],
    [{ issuers: [{ issuer: AS, secret: SECRET, audience: false }] }, /issuers\[0\]/],
  ])('refuses %o with a TypeError', (extra, message) => {
    const options = { ...base, ...extra } as unknown as McpResourceOptions;
    expect(() => mcpResource(options)).toThrow(TypeError);
    expect(() => mcpResource(options)).toThrow(message);
  });

  it('refuses a non-object', () => {
    expect(() => mcpResource(null as unknown as McpResourceOptions)).toThrow(
      new TypeError('mcpResource() expects an options object'),
    );
  });
});

describe('a verifier from mcpResource', () => {
  async function verifierAnd(options: Partial<McpResourceOptions> = {}) {
    const { ec } = await keyPairs();
    const verifier = createVerifier(
      mcpResource({ ...base, keys: ec.jwk, algorithms: ['ES256'], ...options }),
    );
    const mint = (extra: Record<string, unknown>) =>
      sign(claims({ iss: AS, aud: RESOURCE, ...extra }), ec.privateKey, 'ES256');
    return { verifier, mint };
  }

  it('accepts a token issued for this resource by its authorization server', async () => {
    const { verifier, mint } = await verifierAnd();
    const auth = await verifier.verify(await mint({ scope: 'notes:read' }));
    expect([...auth.scopes]).toEqual(['notes:read']);
  });

  it.each([
    ['another resource', { aud: 'https://other.example.com/mcp' }],
    ['the resource with a trailing slash', { aud: `${RESOURCE}/` }],
    ['the resource in uppercase', { aud: RESOURCE.toUpperCase() }],
    ['no audience', { aud: undefined }],
  ])('refuses a token for %s (401 invalid_token naming aud)', async (_name, extra) => {
    const { verifier, mint } = await verifierAnd();
    await expect(verifier.verify(await mint(extra))).rejects.toMatchObject({
      status: 401,
      bearerError: 'invalid_token',
      claim: 'aud',
    });
  });

  it('refuses a token from an issuer the metadata does not name', async () => {
    const { verifier, mint } = await verifierAnd();
    await expect(
      verifier.verify(await mint({ iss: 'https://evil.example' })),
    ).rejects.toMatchObject({ status: 401, claim: 'iss' });
  });

  it('holds the options it was given', async () => {
    const { verifier } = await verifierAnd();
    const options: Readonly<VerifierOptions> = verifier.options;
    expect(options.audience).toBe(RESOURCE);
    expect(options.resource?.resource).toBe(RESOURCE);
  });
});
