import { createVerifier, type VerifierOptions } from '@tokengate/core';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultsCases,
  guardCases,
  modeCases,
  requestCases,
  standaloneGuardCases,
} from './cases-routes.js';
import { distinctCauses, invalidTokenCases, validTokenCases } from './cases-tokens.js';
import type { ConformanceApp, ConformanceFeatures, StartAdapter } from './contract.js';
import { type ConformanceCase, type HitBody, REALM } from './expectations.js';
import { mintFixtures } from './fixtures.js';
import { deadJwksUri } from './net.js';
import { rawRequest } from './raw-request.js';
import { type CaseTarget, type Hit, runCase } from './run-case.js';

/**
 * Every case of the suite, in the order it runs.
 *
 * @example
 * conformanceCases.filter((c) => c.expect.status === 401).length;
 */
export const conformanceCases: readonly ConformanceCase[] = [
  ...validTokenCases,
  ...requestCases,
  ...invalidTokenCases,
  ...guardCases,
  ...modeCases,
  ...defaultsCases,
];

interface Suite extends CaseTarget {
  close(): Promise<void>;
}

/**
 * Build the {@link ConformanceApp} handed to an adapter: options trusting `issuer`, a shared
 * verifier, options whose JWKS is unreachable, the issuer's options with every other option
 * at its default, and a `hit` recorder.
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
    defaultOptions: issuer.verifierOptions(),
    verifier: createVerifier(options),
    hit(route, auth) {
      hits.push({ route, auth });
      const body: HitBody = {
        route,
        auth: auth ? { sub: auth.claims.sub, scopes: [...auth.scopes].sort() } : null,
      };
      return body;
    },
  };
}

/**
 * Register the conformance suite for one adapter: a test issuer, the adapter's server started
 * once on 127.0.0.1, and one `it` per case (request in; status, exact `WWW-Authenticate`, body
 * and whether the handler ran out). `features` says which optional routes it serves.
 *
 * @example
 * runConformance('express 5', async (app) => {
 *   const server = buildExpressApp(app).listen(0, '127.0.0.1');
 *   await once(server, 'listening');
 *   return { baseUrl: `http://127.0.0.1:${server.address().port}`, close: () => closeServer(server) };
 * });
 */
export function runConformance(
  name: string,
  start: StartAdapter,
  features: ConformanceFeatures = {},
): void {
  const cases = [
    ...conformanceCases,
    ...(features.standaloneGuards === false ? [] : standaloneGuardCases),
  ];
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

    for (const c of cases) it(c.name, () => runCase(suite, c));

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
