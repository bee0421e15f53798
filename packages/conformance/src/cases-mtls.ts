// Certificate-bound access tokens (RFC 8705 §3) at the HTTP level: the adapter's server over
// mutual TLS, client certificates made in the test, tokens bound to one of them.
import type { VerifierOptions } from '@tokengate/core';
import type { TestIssuer } from '@tokengate/testing';
import { expect } from 'vitest';
import { createTestCertificates, type TestCertificates } from './certificates.js';
import {
  bearer,
  type Expected,
  invalidToken,
  type MtlsRoute,
  ok,
  type RequestSpec,
} from './expectations.js';
import { rawRequest } from './raw-request.js';
import { assertAnswer, type CaseTarget } from './run-case.js';

/**
 * The descriptions of core's certificate-binding refusals.
 *
 * @example
 * invalidToken('ERR_TOKEN_BINDING', MTLS_MESSAGES.mismatch);
 */
export const MTLS_MESSAGES = {
  none: 'The token is bound to a client certificate; the request was made without one',
  mismatch: 'The client certificate is not the one the token is bound to',
  unbound: 'The token must be bound to a client certificate',
} as const;

/**
 * The verifier options of each certificate-bound token route, on top of `base`: `/mtls` with
 * `mtls: 'allowed'`, `/mtls-required` with `mtls: 'required'`.
 *
 * @example
 * const routes = mtlsRouteOptions({ ...issuer.verifierOptions(), realm: REALM });
 */
export function mtlsRouteOptions(base: VerifierOptions): Record<MtlsRoute, VerifierOptions> {
  return {
    '/mtls': { ...base, mtls: 'allowed' },
    '/mtls-required': { ...base, mtls: 'required' },
  };
}

/** The certificates and tokens of the mutual-TLS cases. */
export interface MtlsFixtures {
  certs: TestCertificates;
  /** Bound to `certs.alice` (`cnf["x5t#S256"]`). */
  boundToAlice: string;
  /** A bearer token (no `cnf`). */
  unbound: string;
}

/**
 * Make the certificates and mint the tokens bound to them, once per run.
 *
 * @example
 * const mtls = await mintMtlsFixtures(issuer);
 */
export async function mintMtlsFixtures(issuer: TestIssuer): Promise<MtlsFixtures> {
  const certs = await createTestCertificates();
  return {
    certs,
    boundToAlice: await issuer.mint({ cnf: { 'x5t#S256': certs.alice.x5tS256 } }),
    unbound: await issuer.mint(),
  };
}

/** What a mutual-TLS case runs against: `baseUrl` is the adapter's `https://` server. */
export interface MtlsTarget extends CaseTarget {
  mtls: MtlsFixtures;
}

/** One mutual-TLS behaviour, every adapter the same. */
export interface MtlsCase {
  name: string;
  run(target: MtlsTarget): Promise<void>;
}

const binding = (message: string): Expected => invalidToken('ERR_TOKEN_BINDING', message);

// One request over its own TLS connection, with `who`'s client certificate or none.
async function over(
  t: MtlsTarget,
  path: `${MtlsRoute | '/protected'}`,
  token: string,
  who: 'alice' | 'mallory' | 'nobody',
  want: Expected,
): Promise<void> {
  const { certs } = t.mtls;
  const client = who === 'nobody' ? {} : { cert: certs[who].cert, key: certs[who].key };
  const spec: RequestSpec = { path, headers: bearer(token) };
  t.hits.length = 0;
  const res = await rawRequest(`${t.baseUrl}${path}`, spec.headers, {
    tls: { ca: certs.ca, ...client },
  });
  assertAnswer(t, spec, res, want);
}

/**
 * Over mutual TLS: a token bound to the client certificate of the connection passes and says
 * so in `auth.binding`; no certificate, another certificate, or an unbound token where binding
 * is required, are refused.
 *
 * @example
 * for (const c of mtlsCases) it(c.name, () => c.run(target));
 */
export const mtlsCases: MtlsCase[] = [
  {
    name: 'mtls: serves the routes over TLS (an unbound token, no binding asked)',
    async run(t) {
      expect(
        t.baseUrl,
        'start(app, tls) must serve HTTPS (or the adapter passes { mutualTls: false })',
      ).toMatch(/^https:\/\//);
      await over(t, '/protected', t.mtls.unbound, 'nobody', ok('/protected'));
    },
  },
  {
    name: 'mtls: accepts a token bound to the connection’s client certificate, auth.binding names it',
    async run(t) {
      await over(t, '/mtls', t.mtls.boundToAlice, 'alice', ok('/mtls'));
      expect(t.hits[0]?.auth?.binding).toEqual({ x5tS256: t.mtls.certs.alice.x5tS256 });
    },
  },
  {
    name: 'mtls: refuses a certificate-bound token over a connection without a certificate',
    run: (t) => over(t, '/mtls', t.mtls.boundToAlice, 'nobody', binding(MTLS_MESSAGES.none)),
  },
  {
    name: 'mtls: refuses a certificate-bound token over a connection with another certificate',
    run: (t) => over(t, '/mtls', t.mtls.boundToAlice, 'mallory', binding(MTLS_MESSAGES.mismatch)),
  },
  {
    name: 'mtls allowed: accepts an unbound token with a client certificate, with no binding',
    async run(t) {
      await over(t, '/mtls', t.mtls.unbound, 'alice', ok('/mtls'));
      expect(t.hits[0]?.auth?.binding).toBeUndefined();
    },
  },
  {
    name: 'mtls required: refuses an unbound token, certificate or not',
    run: (t) => over(t, '/mtls-required', t.mtls.unbound, 'alice', binding(MTLS_MESSAGES.unbound)),
  },
  {
    name: 'mtls required: accepts a token bound to the connection’s certificate',
    run: (t) => over(t, '/mtls-required', t.mtls.boundToAlice, 'alice', ok('/mtls-required')),
  },
];

/**
 * On the plain-HTTP server: a certificate-bound token cannot be proven without TLS.
 *
 * @example
 * for (const c of mtlsPlainCases) it(c.name, () => c.run(target));
 */
export const mtlsPlainCases: MtlsCase[] = [
  {
    name: 'mtls: refuses a certificate-bound token over plain HTTP',
    async run(t) {
      const spec: RequestSpec = { path: '/mtls', headers: bearer(t.mtls.boundToAlice) };
      t.hits.length = 0;
      const res = await rawRequest(`${t.baseUrl}/mtls`, spec.headers);
      assertAnswer(t, spec, res, binding(MTLS_MESSAGES.none));
    },
  },
];
