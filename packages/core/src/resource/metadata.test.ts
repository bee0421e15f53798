// RFC 9728: the protected-resource metadata document, where it is served, the `resource`
// option's checks, and the challenges the same configuration drives.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InsufficientScopeError, MissingTokenError, type TokengateError } from '../errors.js';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import type { VerifierOptions } from '../options.js';
import { createGate } from '../protocol/gate.js';
import { combineRouteRules, compileRouteRules } from '../protocol/rules.js';
import type { Refusal } from '../protocol/view.js';
import { type Answer, exchange } from '../test-support/exchange.js';
import { AUDIENCE, bearer, hs256, ISSUER, NOW, request, SECRET } from '../test-support/tokens.js';
import { createVerifier } from '../verifier.js';
import { metadataLocation } from './location.js';
import { protectedResourceMetadata } from './metadata.js';
import { protectedResourceRouteOf } from './route.js';

const base: VerifierOptions = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };
const RESOURCE = 'https://api.example/mcp';
const METADATA_URL = 'https://api.example/.well-known/oauth-protected-resource/mcp';
const resourceOptions: VerifierOptions = {
  ...base,
  resource: { resource: RESOURCE, authorizationServers: [ISSUER] },
};

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterAll(() => {
  vi.useRealTimers();
});

const refusalOf = async (answer: Answer | Promise<Answer>): Promise<Refusal> => {
  const settled = await answer;
  if (settled.kind !== 'refuse') return expect.fail(`expected a refusal, got ${settled.kind}`);
  return settled.refusal;
};

describe('metadataLocation (RFC 9728 §3.1)', () => {
  it.each([
    ['https://api.example/', '/.well-known/oauth-protected-resource'],
    ['https://api.example', '/.well-known/oauth-protected-resource'],
    ['https://api.example/mcp', '/.well-known/oauth-protected-resource/mcp'],
    ['https://api.example/v1/mcp/', '/.well-known/oauth-protected-resource/v1/mcp/'],
    ['https://API.example:8443/mcp', '/.well-known/oauth-protected-resource/mcp'],
    ['http://localhost:3000/mcp', '/.well-known/oauth-protected-resource/mcp'],
    ['http://127.0.0.1:3000/', '/.well-known/oauth-protected-resource'],
    ['http://[::1]:3000/x', '/.well-known/oauth-protected-resource/x'],
  ])('%s → %s', (resource, path) => {
    const location = metadataLocation(resource);
    expect(location.path).toBe(path);
    expect(location.url).toBe(`${new URL(resource).origin}${path}`);
  });

  it.each([
    [undefined, 'an absolute https URL'],
    ['', 'an absolute https URL'],
    ['/mcp', 'an absolute https URL'],
    ['api.example', 'an absolute https URL'],
    ['http://api.example/mcp', 'an https URL (http only for a loopback host)'],
    ['http://10.0.0.1/mcp', 'an https URL (http only for a loopback host)'],
    ['ftp://api.example/', 'an https URL (http only for a loopback host)'],
    ['https://api.example/mcp#x', 'a URL without a fragment'],
    ['https://api.example/mcp#', 'a URL without a fragment'],
    ['https://api.example/mcp?x=1', 'a URL without a query'],
    ['https://user:pw@api.example/', 'a URL without credentials'],
  ])('refuses %j (%s)', (resource, why) => {
    expect(() => metadataLocation(resource)).toThrow(TypeError);
    expect(() => metadataLocation(resource)).toThrow(`"resource.resource" must be ${why}`);
  });
});

describe('protectedResourceMetadata', () => {
  it('gives the document, its path and URL from a verifier', () => {
    const metadata = protectedResourceMetadata(createVerifier(resourceOptions));
    expect(metadata).toEqual({
      path: '/.well-known/oauth-protected-resource/mcp',
      url: METADATA_URL,
      document: {
        resource: RESOURCE,
        authorization_servers: [ISSUER],
        bearer_methods_supported: ['header'],
      },
    });
  });

  it('writes every configured member under its RFC 9728 name', () => {
    const { document } = protectedResourceMetadata({
      ...base,
      resource: {
        resource: 'https://api.example/',
        authorizationServers: ['https://id.example/', 'https://id2.example/'],
        scopesSupported: ['read', 'write'],
        jwksUri: 'https://api.example/jwks.json',
        resourceSigningAlgValuesSupported: ['ES256'],
        resourceName: 'Example API',
        resourceDocumentation: 'https://docs.example/api',
        resourcePolicyUri: 'https://api.example/policy',
        resourceTosUri: 'https://api.example/tos',
      },
    });
    expect(document).toEqual({
      resource: 'https://api.example/',
      authorization_servers: ['https://id.example/', 'https://id2.example/'],
      scopes_supported: ['read', 'write'],
      jwks_uri: 'https://api.example/jwks.json',
      resource_signing_alg_values_supported: ['ES256'],
      bearer_methods_supported: ['header'],
      resource_name: 'Example API',
      resource_documentation: 'https://docs.example/api',
      resource_policy_uri: 'https://api.example/policy',
      resource_tos_uri: 'https://api.example/tos',
    });
  });

  it('derives the bearer methods, DPoP and mTLS members from the verifier options', () => {
    const doc = (extra: VerifierOptions) =>
      protectedResourceMetadata({ ...resourceOptions, ...extra }).document;
    expect(doc({ query: true }).bearer_methods_supported).toEqual(['header', 'query']);
    expect(doc({ extract: () => undefined })).not.toHaveProperty('bearer_methods_supported');
    expect(doc({ dpop: 'off', mtls: 'off' })).toEqual(doc({}));
    expect(doc({ dpop: 'allowed' })).toMatchObject({
      dpop_signing_alg_values_supported: expect.arrayContaining(['ES256', 'EdDSA']),
      dpop_bound_access_tokens_required: false,
    });
    expect(
      doc({ dpop: { mode: 'required', algorithms: ['ES256'], origin: RESOURCE } }),
    ).toMatchObject({
      dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: true,
    });
    expect(doc({ mtls: 'allowed' }).tls_client_certificate_bound_access_tokens).toBe(true);
    expect(doc({ mtls: { mode: 'required' } }).tls_client_certificate_bound_access_tokens).toBe(
      true,
    );
    expect(doc({})).not.toHaveProperty('tls_client_certificate_bound_access_tokens');
  });

  it('is frozen, its lists too, and does not share the option arrays', () => {
    const servers = [ISSUER];
    const metadata = protectedResourceMetadata({
      ...base,
      resource: { resource: RESOURCE, authorizationServers: servers },
    });
    expect(Object.isFrozen(metadata)).toBe(true);
    expect(Object.isFrozen(metadata.document)).toBe(true);
    expect(Object.isFrozen(metadata.document.authorization_servers)).toBe(true);
    servers.push('https://evil.example/');
    expect(metadata.document.authorization_servers).toEqual([ISSUER]);
  });

  it('refuses a verifier or options without `resource`, and what is neither', () => {
    expect(() => protectedResourceMetadata(createVerifier(base))).toThrow(
      'protectedResourceMetadata() needs the "resource" option',
    );
    expect(() => protectedResourceMetadata(base)).toThrow(TypeError);
    expect(() => protectedResourceMetadata(null as never)).toThrow(
      'protectedResourceMetadata() expects a verifier or verifier options',
    );
    expect(() => protectedResourceMetadata('https://api.example/' as never)).toThrow(TypeError);
  });

  it('checks options that did not go through createVerifier', () => {
    expect(() =>
      protectedResourceMetadata({ resource: { resource: 'http://api.example/' } }),
    ).toThrow('"resource.resource" must be an https URL');
  });
});

describe('the resource option (createVerifier)', () => {
  const make = (resource: unknown, extra: VerifierOptions = {}) =>
    createVerifier({ ...base, ...extra, resource: resource as VerifierOptions['resource'] });

  it.each([
    [null, '"resource" must be an object'],
    ['https://api.example/', '"resource" must be an object'],
    [[], '"resource" must be an object'],
    [{}, '"resource.resource" must be an absolute https URL'],
    [{ resource: 'http://api.example/' }, '"resource.resource" must be an https URL'],
    [
      { resource: RESOURCE, authorizationServer: [ISSUER] },
      'Unknown option "authorizationServer" in "resource" (did you mean "authorizationServers"?)',
    ],
    [
      { resource: RESOURCE, authorizationServers: ISSUER },
      '"resource.authorizationServers" must be a non-empty array of issuer URLs',
    ],
    [
      { resource: RESOURCE, authorizationServers: [] },
      '"resource.authorizationServers" must be a non-empty array',
    ],
    [
      { resource: RESOURCE, authorizationServers: ['not a url'] },
      '"resource.authorizationServers" must be a non-empty array of issuer URLs, got "not a url"',
    ],
    [
      { resource: RESOURCE, scopesSupported: ['read write'] },
      '"resource.scopesSupported" must be a non-empty array of scope tokens',
    ],
    [{ resource: RESOURCE, scopesSupported: [''] }, '"resource.scopesSupported"'],
    [{ resource: RESOURCE, scopesSupported: [1] }, '"resource.scopesSupported"'],
    [
      { resource: RESOURCE, resourceSigningAlgValuesSupported: ['none'] },
      '"resource.resourceSigningAlgValuesSupported"',
    ],
    [
      { resource: RESOURCE, jwksUri: 'jwks.json' },
      '"resource.jwksUri" must be an absolute http(s) URL',
    ],
    [
      { resource: RESOURCE, resourceDocumentation: 'javascript:alert(1)' },
      '"resource.resourceDocumentation" must be an absolute http(s) URL',
    ],
    [{ resource: RESOURCE, resourcePolicyUri: 42 }, '"resource.resourcePolicyUri"'],
    [{ resource: RESOURCE, resourceTosUri: '' }, '"resource.resourceTosUri"'],
    [
      { resource: RESOURCE, resourceName: '' },
      '"resource.resourceName" must be a non-empty string',
    ],
  ])('refuses %j', (resource, message) => {
    expect(() => make(resource)).toThrow(TypeError);
    expect(() => make(resource)).toThrow(message);
  });

  it('accepts resourceMetadata equal to the computed URL and refuses another', () => {
    expect(() => make({ resource: RESOURCE }, { resourceMetadata: METADATA_URL })).not.toThrow();
    expect(() =>
      make({ resource: RESOURCE }, { resourceMetadata: 'https://api.example/meta' }),
    ).toThrow(
      `"resourceMetadata" must be left out with "resource" (it defaults to ${METADATA_URL})`,
    );
  });

  it('keeps `resource` on verifier.options', () => {
    expect(make({ resource: RESOURCE }).options.resource).toEqual({ resource: RESOURCE });
  });
});

describe.each([
  ['web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('challenges of a protected resource (%s)', (_name, make) => {
  const thrown = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('expected a rejection'),
      (error: unknown) => error as TokengateError,
    );

  it('puts resource_metadata on the verifier’s own errors', async () => {
    const verifier = make(resourceOptions);
    const missing = await thrown(verifier.authenticate(request()));
    expect(missing.wwwAuthenticate).toBe(`Bearer realm="api", resource_metadata="${METADATA_URL}"`);
    const malformed = await thrown(verifier.verify('not-a-jwt'));
    expect(malformed.wwwAuthenticate).toBe(
      `Bearer realm="api", error="invalid_token", error_description="The token is malformed", resource_metadata="${METADATA_URL}"`,
    );
  });

  it('puts resource_metadata on every gate refusal: missing, invalid, guard, 403', async () => {
    const gate = createGate(make(resourceOptions));
    const missing = await refusalOf(gate.authenticate(exchange(request())));
    expect(missing.headers['WWW-Authenticate']).toBe(
      `Bearer realm="api", resource_metadata="${METADATA_URL}"`,
    );
    const invalid = await refusalOf(gate.authenticate(exchange(bearer('a.b.c'))));
    expect(invalid.headers['WWW-Authenticate']).toMatch(
      new RegExp(
        `^Bearer realm="api", error="invalid_token", .*, resource_metadata="${METADATA_URL}"$`,
      ),
    );
    const forbidden = gate.refusal(new InsufficientScopeError(['write']));
    expect(forbidden.headers['WWW-Authenticate']).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="write", resource_metadata="${METADATA_URL}"`,
    );
  });

  it('puts resource_metadata on both challenges with DPoP', async () => {
    const gate = createGate(
      make({ ...resourceOptions, dpop: { mode: 'allowed', origin: 'https://api.example' } }),
    );
    const missing = await refusalOf(gate.authenticate(exchange(request())));
    expect(missing.headers['WWW-Authenticate']).toMatch(
      new RegExp(
        `^Bearer realm="api", resource_metadata="${METADATA_URL}", DPoP realm="api", resource_metadata="${METADATA_URL}", algs="[^"]+"$`,
      ),
    );
  });

  it('leaves resource_metadata out without `resource`', async () => {
    const gate = createGate(make(base));
    const missing = await refusalOf(gate.authenticate(exchange(request())));
    expect(missing.headers['WWW-Authenticate']).toBe('Bearer realm="api"');
  });

  it('announces the route’s scopes on a 401, and the missing ones on a 403', async () => {
    const gate = createGate(make(resourceOptions));
    const rules = compileRouteRules({ scopes: ['read', 'write'] }, 'test');
    const missing = await refusalOf(gate.authenticate(exchange(request()), rules));
    expect(missing.status).toBe(401);
    expect(missing.headers['WWW-Authenticate']).toBe(
      `Bearer realm="api", scope="read write", resource_metadata="${METADATA_URL}"`,
    );
    const expired = await refusalOf(
      gate.authenticate(exchange(bearer(await hs256({ exp: NOW - 600 }))), rules),
    );
    expect(expired.headers['WWW-Authenticate']).toBe(
      `Bearer realm="api", error="invalid_token", error_description="The token has expired", scope="read write", resource_metadata="${METADATA_URL}"`,
    );
    const readOnly = await refusalOf(
      gate.authenticate(exchange(bearer(await hs256({ scope: 'read' }))), rules),
    );
    expect(readOnly.status).toBe(403);
    expect(readOnly.headers['WWW-Authenticate']).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read write", resource_metadata="${METADATA_URL}"`,
    );
    // Without scopes on the route, no scope is made up.
    const plain = await refusalOf(gate.authenticate(exchange(request())));
    expect(plain.headers['WWW-Authenticate']).not.toContain('scope=');
  });

  it('keeps the 401 challenge of an API that is no protected resource as RFC 6750 has it', async () => {
    const gate = createGate(make(base));
    const rules = compileRouteRules({ scopes: 'read' }, 'test');
    const missing = await refusalOf(gate.authenticate(exchange(request()), rules));
    expect(missing.headers['WWW-Authenticate']).toBe('Bearer realm="api"');
  });

  it('announces the scope on a guard’s 401 (optional authentication before it)', async () => {
    const gate = createGate(make(resourceOptions));
    const rules = combineRouteRules([
      compileRouteRules({ scopes: 'read' }, 'class'),
      compileRouteRules({ scopes: ['write', 'read'] }, 'method'),
    ]);
    expect(rules.scopes).toEqual(['read', 'write']);
    const anonymous = await refusalOf(gate.authorize(exchange(request()), undefined, rules));
    expect(anonymous.error).toBeInstanceOf(MissingTokenError);
    expect(anonymous.headers['WWW-Authenticate']).toBe(
      `Bearer realm="api", scope="read write", resource_metadata="${METADATA_URL}"`,
    );
  });

  it('never announces a scope on a 503', async () => {
    const gate = createGate(
      make({
        ...resourceOptions,
        isRevoked: () => {
          throw new Error('store down');
        },
      }),
    );
    const rules = compileRouteRules({ scopes: 'read' }, 'test');
    const down = await refusalOf(gate.authenticate(exchange(bearer(await hs256())), rules));
    expect(down.status).toBe(503);
    expect(down.headers['WWW-Authenticate']).toBeUndefined();
  });
});

describe('protectedResourceRouteOf', () => {
  const route = protectedResourceRouteOf(resourceOptions);

  it('answers GET and HEAD with the JSON document, readable from any origin', () => {
    for (const method of ['GET', 'HEAD', 'get']) {
      const answer = route.answer(method);
      expect(answer.status).toBe(200);
      expect(answer.headers).toMatchObject({
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': expect.stringMatching(/max-age=\d+/),
      });
      expect(JSON.parse(answer.body ?? '')).toEqual(route.document);
    }
    expect(route.path).toBe('/.well-known/oauth-protected-resource/mcp');
  });

  it('answers the CORS preflight and refuses other methods with 405 and Allow', () => {
    expect(route.answer('OPTIONS')).toMatchObject({
      status: 204,
      body: undefined,
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      },
    });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'BREW'])
      expect(route.answer(method)).toMatchObject({
        status: 405,
        body: undefined,
        headers: { Allow: 'GET, HEAD, OPTIONS' },
      });
  });
});

describe('the scope challenge parameter', () => {
  it('goes after the error and before resource_metadata, never twice', () => {
    const missing = new MissingTokenError();
    missing.challengeOptions = {
      realm: 'api',
      scope: 'read write',
      resourceMetadata: METADATA_URL,
    };
    expect(missing.wwwAuthenticate).toBe(
      `Bearer realm="api", scope="read write", resource_metadata="${METADATA_URL}"`,
    );
    // An insufficient_scope error names the scopes it lacks; the route's do not repeat them.
    const forbidden = new InsufficientScopeError(['write']);
    forbidden.challengeOptions = { realm: 'api', scope: 'read write' };
    expect(forbidden.wwwAuthenticate).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="write"',
    );
  });
});
