import { type AuthInfo, createVerifier, type VerifierOptions } from '@tokengate/core';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardCases, modeCases, requestCases } from './cases-routes.js';
import { distinctCauses, invalidTokenCases, validTokenCases } from './cases-tokens.js';
import type { ConformanceApp, StartAdapter } from './contract.js';
import { type ConformanceCase, type HitBody, REALM, type RequestSpec } from './expectations.js';
import { ATTACKER_PATH, type Fixtures, mintFixtures } from './fixtures.js';
import { deadJwksUri } from './net.js';
import { type RawResponse, rawRequest } from './raw-request.js';

/** Every case of the suite, in the order it runs. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...validTokenCases,
  ...requestCases,
  ...invalidTokenCases,
  ...guardCases,
  ...modeCases,
];

/** A handler run recorded by `app.hit`. */
export interface Hit {
  route: string;
  auth: AuthInfo | null;
}

interface Suite {
  issuer: TestIssuer;
  tokens: Fixtures;
  hits: Hit[];
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Build the {@link ConformanceApp} handed to an adapter: options trusting `issuer`, a shared
 * verifier, options whose JWKS is unreachable, and a `hit` recorder.
 *
 * @example
 * const app = await createConformanceApp(issuer, hits);
 */
export async function createConformanceApp(
  issuer: TestIssuer,
  hits: Hit[],
): Promise<ConformanceApp> {
  // `query: true` so that a token in both the header and `access_token` can be refused
  // (RFC 6750 §2: one method per request) and the query method is exercised.
  const options: VerifierOptions = { ...issuer.verifierOptions(), realm: REALM, query: true };
  const downOptions: VerifierOptions = {
    ...options,
    jwksUri: await deadJwksUri(),
    jwks: { timeoutDuration: 1000 },
  };
  return {
    options,
    downOptions,
    verifier: createVerifier(options),
    hit(route, auth) {
      hits.push({ route, auth: auth ?? null });
      const body: HitBody = {
        route,
        auth: auth ? { sub: auth.claims.sub, scopes: [...auth.scopes].sort() } : null,
      };
      return body;
    },
  };
}

function sentTokens(spec: RequestSpec): string[] {
  const fromHeaders = (spec.headers ?? []).map(([, value]) => value.split(' ').at(-1) ?? '');
  const query = new URL(spec.path, 'http://x').searchParams.getAll('access_token');
  return [...fromHeaders, ...query].filter((t) => t.length > 20);
}

function assertSafeBody(res: RawResponse, spec: RequestSpec, suite: Suite): void {
  for (const token of sentTokens(spec)) {
    expect(res.text).not.toContain(token);
    const signature = token.split('.')[2];
    if (signature && signature.length > 8) expect(res.text).not.toContain(signature);
  }
  expect(res.text).not.toMatch(/\n\s+at /);
  expect(res.text).not.toContain('-----BEGIN');
  expect(res.text).not.toContain(suite.issuer.secret);
}

async function runCase(suite: Suite, c: ConformanceCase): Promise<void> {
  const spec = c.send(suite.tokens);
  const res = await rawRequest(`${suite.baseUrl}${spec.path}`, spec.headers ?? []);
  const want = c.expect;
  expect({ status: res.status, body: res.text }).toMatchObject({ status: want.status });
  expect(res.header('www-authenticate') ?? null).toBe(want.wwwAuthenticate);
  expect(res.header('content-type') ?? '').toMatch(/^application\/json/);
  expect(JSON.parse(res.text)).toEqual(want.body);
  if (want.retryAfter) expect(res.header('retry-after') ?? '').toMatch(/^[1-9]\d*$/);
  expect(suite.hits.length > 0, 'whether the handler ran').toBe(want.handlerRan);
  if (want.handlerRan) {
    expect(suite.hits).toHaveLength(1);
    const [hit] = suite.hits;
    expect(hit?.route).toBe(spec.path.split('?')[0]);
    if (hit?.auth) {
      expect(sentTokens(spec)).toContain(hit.auth.token);
      expect(hit.auth.claims.sub).toBe('test-user');
      expect(hit.auth.header.alg).toBeTypeOf('string');
    }
  } else {
    assertSafeBody(res, spec, suite);
  }
  if (c.after === 'attacker-url-not-fetched') {
    expect(suite.issuer.requests.map((r) => r.path)).not.toContain(ATTACKER_PATH);
  }
}

/**
 * Register the conformance suite for one adapter: a test issuer, the adapter's server started
 * once on 127.0.0.1, and one `it` per case (request in; status, exact `WWW-Authenticate`, body
 * and whether the handler ran out).
 *
 * @example
 * runConformance('express 5', async (app) => {
 *   const server = buildExpressApp(app).listen(0, '127.0.0.1');
 *   await once(server, 'listening');
 *   return { baseUrl: `http://127.0.0.1:${server.address().port}`, close: () => closeServer(server) };
 * });
 */
export function runConformance(name: string, start: StartAdapter): void {
  describe(`${name} — tokengate conformance`, () => {
    const suite = { hits: [] as Hit[] } as Suite;
    beforeAll(async () => {
      suite.issuer = await createTestIssuer();
      suite.tokens = await mintFixtures(suite.issuer);
      const app = await createConformanceApp(suite.issuer, suite.hits);
      const server = await start(app);
      suite.baseUrl = server.baseUrl.replace(/\/$/, '');
      suite.close = () => server.close();
    });
    afterAll(async () => {
      await suite.close?.();
      await suite.issuer?.close();
    });
    beforeEach(() => {
      suite.hits.length = 0;
    });

    for (const c of conformanceCases) it(c.name, () => runCase(suite, c));

    it('gives every invalid-token cause its own description', async () => {
      const descriptions = new Set<string>();
      for (const cause of distinctCauses) {
        const res = await rawRequest(`${suite.baseUrl}/protected`, [
          ['Authorization', `Bearer ${suite.tokens[cause]}`],
        ]);
        expect(res.status).toBe(401);
        descriptions.add((JSON.parse(res.text) as { error_description: string }).error_description);
      }
      expect(descriptions.size).toBe(distinctCauses.length);
    });
  });
}
