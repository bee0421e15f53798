// A protected resource (RFC 9728) at the HTTP level: the metadata route each adapter serves
// (the document, its well-known path, headers, CORS), and the challenges the same `resource`
// option drives (`resource_metadata` on every 401, the route's `scope` on its 401 and 403).
import type { VerifierOptions } from '@tokengate/core';
import { expect } from 'vitest';
import { DPOP_MESSAGES, type DpopTarget } from './cases-dpop.js';
import { DPOP_ORIGIN, DPOP_POLICY } from './dpop-routes.js';
import {
  bearer,
  type Expected,
  type HeaderLine,
  ok,
  REALM,
  type RequestSpec,
  type ResourceRoute,
} from './expectations.js';
import { type RawResponse, rawRequest } from './raw-request.js';
import { assertAnswer } from './run-case.js';

/**
 * The resource identifier of the conformance API: on the public origin the DPoP routes use, at
 * a path, so that the metadata path has it inserted (RFC 9728 §3.1).
 *
 * @example
 * createVerifier({ ...options, resource: { resource: RESOURCE } });
 */
export const RESOURCE = `${DPOP_ORIGIN}/mcp`;

/**
 * Where an adapter serves the metadata of {@link RESOURCE}: the well-known suffix, then the
 * resource's path. Written out rather than computed, so that a bug in core shows up here.
 *
 * @example
 * await rawRequest(`${baseUrl}${RESOURCE_METADATA_PATH}`);
 */
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

/**
 * The `resource_metadata` of every challenge of the resource routes.
 *
 * @example
 * RESOURCE_METADATA_URL; // 'https://api.tokengate.test/.well-known/oauth-protected-resource/mcp'
 */
export const RESOURCE_METADATA_URL = `${DPOP_ORIGIN}${RESOURCE_METADATA_PATH}`;

/** The name the conformance resource gives itself in its metadata. */
const RESOURCE_NAME = 'tokengate conformance API';

/** The scope `/resource-scoped` requires, and the resource lists as supported. */
const SCOPE = 'read:things';

/**
 * The options of the resource routes, on top of `base` (the suite's issuer and realm), with
 * `authorizationServer` (the test issuer's URL) as the one authorization server:
 * `resourceOptions` for `/resource`, `/resource-scoped` and the metadata route,
 * `resourceDpopOptions` (DPoP allowed) for `/resource-dpop`.
 *
 * @example
 * const { resourceOptions } = resourceRouteOptions({ ...issuer.verifierOptions(), realm: REALM }, issuer.url);
 */
export function resourceRouteOptions(
  base: VerifierOptions,
  authorizationServer: string,
): { resourceOptions: VerifierOptions; resourceDpopOptions: VerifierOptions } {
  const resourceOptions: VerifierOptions = {
    ...base,
    resource: {
      resource: RESOURCE,
      authorizationServers: [authorizationServer],
      scopesSupported: [SCOPE],
      resourceName: RESOURCE_NAME,
    },
  };
  return {
    resourceOptions,
    resourceDpopOptions: { ...resourceOptions, dpop: { mode: 'allowed', origin: DPOP_ORIGIN } },
  };
}

/** One protected-resource behaviour, every adapter the same. */
export interface ResourceCase {
  name: string;
  run(target: DpopTarget): Promise<void>;
}

// RFC 6750 §3 auth-params, written independently of core's builder.
const param = (name: string, value: string) => `${name}="${value}"`;

interface ChallengeError {
  code: string;
  description: string;
}

// One scheme's parameters: realm, the error where it goes, scope, resource_metadata.
function params(error?: ChallengeError, scope?: string): string {
  const list = [param('realm', REALM)];
  if (error !== undefined)
    list.push(param('error', error.code), param('error_description', error.description));
  if (scope !== undefined) list.push(param('scope', scope));
  list.push(param('resource_metadata', RESOURCE_METADATA_URL));
  return list.join(', ');
}

const MISSING_BODY = {
  error: 'unauthorized',
  error_description: 'Authentication required',
  code: 'ERR_TOKEN_MISSING',
};
const EXPIRED: ChallengeError = { code: 'invalid_token', description: 'The token has expired' };
const EXPIRED_BODY = {
  error: 'invalid_token',
  error_description: EXPIRED.description,
  code: 'ERR_TOKEN_EXPIRED',
};
const INSUFFICIENT: ChallengeError = {
  code: 'insufficient_scope',
  description: 'The token lacks the required scope',
};

function refused(status: number, wwwAuthenticate: string, body: unknown): Expected {
  return { status, wwwAuthenticate, body, handlerRan: false };
}

// `/resource-dpop` accepts Bearer and DPoP: both challenges name the metadata.
function dpopChallenge(error?: ChallengeError & { scheme: 'Bearer' | 'DPoP' }): string {
  const on = (scheme: 'Bearer' | 'DPoP') => (error?.scheme === scheme ? error : undefined);
  const algs = param('algs', DPOP_POLICY['/dpop'].algorithms.join(' '));
  return `Bearer ${params(on('Bearer'))}, DPoP ${params(on('DPoP'))}, ${algs}`;
}

async function send(
  t: DpopTarget,
  path: `${ResourceRoute}`,
  headers: HeaderLine[],
  want: Expected,
): Promise<void> {
  const spec: RequestSpec = { path, headers };
  t.hits.length = 0;
  const res = await rawRequest(`${t.baseUrl}${path}`, headers);
  assertAnswer(t, spec, res, want);
}

function metadata(t: DpopTarget, method = 'GET', headers: HeaderLine[] = []): Promise<RawResponse> {
  return rawRequest(`${t.baseUrl}${RESOURCE_METADATA_PATH}`, headers, { method });
}

// RFC 9728 §2, as configured: the members the verifier knows are derived (`header` only: the
// resource options do not read the query).
const expectedDocument = (t: DpopTarget) => ({
  resource: RESOURCE,
  authorization_servers: [t.issuer.url],
  scopes_supported: [SCOPE],
  bearer_methods_supported: ['header'],
  resource_name: RESOURCE_NAME,
});

/**
 * The metadata route and the challenges of a protected resource.
 *
 * @example
 * for (const c of resourceCases) it(c.name, () => c.run(target));
 */
export const resourceCases: ResourceCase[] = [
  {
    name: 'resource: serves the metadata document at the path with the resource’s path inserted',
    async run(t) {
      const res = await metadata(t);
      expect(res.status).toBe(200);
      expect(res.header('content-type') ?? '').toMatch(/^application\/json/);
      expect(JSON.parse(res.text)).toEqual(expectedDocument(t));
      expect(res.header('access-control-allow-origin')).toBe('*');
      expect(res.header('cache-control') ?? '').toMatch(/max-age=\d+/);
    },
  },
  {
    name: 'resource: answers HEAD on the metadata route with the headers and no body',
    async run(t) {
      const res = await metadata(t, 'HEAD');
      expect(res.status).toBe(200);
      expect(res.header('content-type') ?? '').toMatch(/^application\/json/);
      expect(res.header('access-control-allow-origin')).toBe('*');
      expect(res.text).toBe('');
    },
  },
  {
    name: 'resource: answers the CORS preflight of a cross-origin client',
    async run(t) {
      const res = await metadata(t, 'OPTIONS', [
        ['Origin', 'https://inspector.example'],
        ['Access-Control-Request-Method', 'GET'],
        ['Access-Control-Request-Headers', 'mcp-protocol-version'],
      ]);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      expect(res.header('access-control-allow-origin')).toBe('*');
      expect(res.header('access-control-allow-methods') ?? '').toMatch(/\bGET\b/);
      expect(res.header('access-control-allow-headers')).toMatch(/^\*$|mcp-protocol-version/i);
    },
  },
  {
    name: 'resource: never serves the document to another method',
    async run(t) {
      const res = await metadata(t, 'POST');
      // 405 where the adapter's framework answers it, 404 where its router does (Nest).
      expect([404, 405]).toContain(res.status);
      if (res.status === 405) expect(res.header('allow') ?? '').toMatch(/\bGET\b/);
      expect(res.text).not.toContain(RESOURCE_NAME);
    },
  },
  {
    name: 'resource: serves nothing at the bare well-known path of a resource with a path',
    async run(t) {
      const res = await rawRequest(`${t.baseUrl}/.well-known/oauth-protected-resource`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(RESOURCE_NAME);
    },
  },
  {
    name: 'resource: lets a valid token through to /resource',
    run: (t) => send(t, '/resource', bearer(t.tokens.valid), ok('/resource')),
  },
  {
    name: 'resource: names resource_metadata in the 401 of a request without a token',
    run: (t) => send(t, '/resource', [], refused(401, `Bearer ${params()}`, MISSING_BODY)),
  },
  {
    name: 'resource: names resource_metadata in the 401 of an invalid token',
    run: (t) =>
      send(
        t,
        '/resource',
        bearer(t.tokens.expired),
        refused(401, `Bearer ${params(EXPIRED)}`, EXPIRED_BODY),
      ),
  },
  {
    name: 'resource: names the route’s scope and resource_metadata in the 401 of a scoped route',
    run: (t) =>
      send(
        t,
        '/resource-scoped',
        [],
        refused(401, `Bearer ${params(undefined, SCOPE)}`, MISSING_BODY),
      ),
  },
  {
    name: 'resource: names the scope and resource_metadata in the 403 of a scoped route',
    run: (t) =>
      send(
        t,
        '/resource-scoped',
        bearer(t.tokens.writeThings),
        refused(403, `Bearer ${params(INSUFFICIENT, SCOPE)}`, {
          error: INSUFFICIENT.code,
          error_description: INSUFFICIENT.description,
          code: 'ERR_INSUFFICIENT_SCOPE',
        }),
      ),
  },
  {
    name: 'resource: lets a token with the scope through to /resource-scoped',
    run: (t) =>
      send(
        t,
        '/resource-scoped',
        bearer(t.tokens.readThings),
        ok('/resource-scoped', ['profile', 'read:things']),
      ),
  },
  {
    name: 'resource + DPoP: names resource_metadata in both challenges of a 401 without a token',
    run: (t) => send(t, '/resource-dpop', [], refused(401, dpopChallenge(), MISSING_BODY)),
  },
  {
    name: 'resource + DPoP: names resource_metadata in both challenges of a refused bound token',
    run: (t) =>
      send(
        t,
        '/resource-dpop',
        bearer(t.dpop.bound),
        refused(
          401,
          dpopChallenge({
            scheme: 'Bearer',
            code: 'invalid_token',
            description: DPOP_MESSAGES.boundAsBearer,
          }),
          {
            error: 'invalid_token',
            error_description: DPOP_MESSAGES.boundAsBearer,
            code: 'ERR_TOKEN_BINDING',
          },
        ),
      ),
  },
  {
    name: 'resource + DPoP: names resource_metadata in both challenges of a missing proof',
    run: (t) =>
      send(
        t,
        '/resource-dpop',
        bearer(t.dpop.bound, 'DPoP'),
        refused(
          401,
          dpopChallenge({
            scheme: 'DPoP',
            code: 'invalid_dpop_proof',
            description: DPOP_MESSAGES.missingProof,
          }),
          {
            error: 'invalid_dpop_proof',
            error_description: DPOP_MESSAGES.missingProof,
            code: 'ERR_DPOP_PROOF_INVALID',
          },
        ),
      ),
  },
];
