import { createVerifier, type VerifierOptions } from '@tokengate/core';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allDpopCases, type DpopTarget, mintDpopFixtures } from './cases-dpop.js';
import {
  type MtlsTarget,
  mintMtlsFixtures,
  mtlsCases,
  mtlsPlainCases,
  mtlsRouteOptions,
} from './cases-mtls.js';
import { resourceCases, resourceRouteOptions } from './cases-resource.js';
import {
  defaultsCases,
  guardCases,
  modeCases,
  requestCases,
  standaloneGuardCases,
} from './cases-routes.js';
import { distinctCauses, invalidTokenCases, validTokenCases } from './cases-tokens.js';
import { serverTlsOptions } from './certificates.js';
import type { ConformanceApp, ConformanceFeatures, StartAdapter } from './contract.js';
import { dpopRouteOptions } from './dpop-routes.js';
import { type ConformanceCase, type HitBody, REALM } from './expectations.js';
import { mintFixtures } from './fixtures.js';
import { deadJwksUri } from './net.js';
import { rawRequest } from './raw-request.js';
import { type Hit, runCase } from './run-case.js';

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

interface Suite extends DpopTarget, MtlsTarget {
  app: ConformanceApp;
  close(): Promise<void>;
}

/**
 * Build the {@link ConformanceApp} handed to an adapter: options trusting `issuer`, a shared
 * verifier, options whose JWKS is unreachable, the issuer's options with every other option
 * at its default, the DPoP, mTLS and protected-resource routes' options, and a `hit` recorder.
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
    dpopRoutes: dpopRouteOptions({ ...issuer.verifierOptions(), realm: REALM }),
    mtlsRoutes: mtlsRouteOptions({ ...issuer.verifierOptions(), realm: REALM }),
    ...resourceRouteOptions({ ...issuer.verifierOptions(), realm: REALM }, issuer.url),
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
 * and whether the handler ran out), the DPoP, mTLS and protected-resource cases included. `features` says which optional
 * routes it serves and what its request view knows.
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
      suite.dpop = await mintDpopFixtures(suite.issuer);
      suite.mtls = await mintMtlsFixtures(suite.issuer);
      const app = await createConformanceApp(suite.issuer, suite.hits);
      suite.app = app;
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
    for (const c of allDpopCases)
      if (!c.needsPeerAddress || features.peerAddress !== false) it(c.name, () => c.run(suite));
    for (const c of mtlsPlainCases) it(c.name, () => c.run(suite));
    for (const c of resourceCases) it(c.name, () => c.run(suite));
    if (features.mutualTls !== false) describeMutualTls(suite, start);

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

// The same app on a second server, over HTTPS with `requestCert`: the mutual-TLS cases.
function describeMutualTls(suite: Suite, start: StartAdapter): void {
  describe('over mutual TLS', () => {
    const tls = {} as MtlsTarget & { close?: () => Promise<void> };
    beforeAll(async () => {
      const server = await start(suite.app, serverTlsOptions(suite.mtls.certs));
      Object.assign(tls, suite, {
        baseUrl: server.baseUrl.replace(/\/$/, ''),
        close: server.close,
      });
    });
    afterAll(async () => {
      await tls.close?.();
    });
    for (const c of mtlsCases) it(c.name, () => c.run(tls));
  });
}
