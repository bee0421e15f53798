import type { AuthInfo } from '@tokengate/core';
import type { TestIssuer } from '@tokengate/testing';
import { expect } from 'vitest';
import type { ConformanceCase, Expected, RequestSpec } from './expectations.js';
import { ATTACKER_PATH, type Fixtures } from './fixtures.js';
import { type RawResponse, rawRequest } from './raw-request.js';

/** A handler run recorded by `app.hit`. */
export interface Hit {
  route: string;
  /** The adapter's value as the handler saw it; `undefined` when there is no auth. */
  auth: AuthInfo | null | undefined;
}

/** What a case runs against: the adapter's URL, the tokens, and what the handlers saw. */
export interface CaseTarget {
  baseUrl: string;
  issuer: TestIssuer;
  tokens: Fixtures;
  /** Filled by `app.hit`; emptied before every case. */
  hits: Hit[];
}

function sentTokens(spec: RequestSpec): string[] {
  const fromHeaders = (spec.headers ?? []).map(([, value]) => value.split(' ').at(-1) ?? '');
  const query = new URL(spec.path, 'http://x').searchParams.getAll('access_token');
  return [...fromHeaders, ...query].filter((t) => t.length > 20);
}

function assertSafeBody(res: RawResponse, spec: RequestSpec, suite: CaseTarget): void {
  for (const token of sentTokens(spec)) {
    expect(res.text).not.toContain(token);
    const signature = token.split('.')[2];
    if (signature && signature.length > 8) expect(res.text).not.toContain(signature);
  }
  expect(res.text).not.toMatch(/\n\s+at /);
  expect(res.text).not.toContain('-----BEGIN');
  expect(res.text).not.toContain(suite.issuer.secret);
}

/**
 * Send one case's request to the adapter and assert everything it expects (vitest `expect`).
 *
 * @example
 * await runCase(target, conformanceCases[0]);
 */
export async function runCase(suite: CaseTarget, c: ConformanceCase): Promise<void> {
  const spec = c.send(suite.tokens);
  suite.hits.length = 0;
  const res = await rawRequest(`${suite.baseUrl}${spec.path}`, spec.headers ?? []);
  assertAnswer(suite, spec, res, c.expect);
  if (c.after === 'attacker-url-not-fetched') {
    expect(suite.issuer.requests.map((r) => r.path)).not.toContain(ATTACKER_PATH);
  }
}

/**
 * Assert that the adapter answered `spec` as `want` says: status, exact `WWW-Authenticate`,
 * JSON body, `Retry-After`, `DPoP-Nonce`, whether the handler ran and what it saw, and that a
 * refusal leaks no credential. `suite.hits` must hold this request's handler runs only.
 *
 * @example
 * assertAnswer(target, { path: '/dpop', headers: sent }, res, ok('/dpop'));
 */
export function assertAnswer(
  suite: CaseTarget,
  spec: RequestSpec,
  res: RawResponse,
  want: Expected,
): void {
  expect(res.status, `status (body: ${res.text.slice(0, 300)})`).toBe(want.status);
  expect(res.header('www-authenticate') ?? null, 'WWW-Authenticate').toBe(want.wwwAuthenticate);
  expect(res.header('content-type') ?? '', 'content-type').toMatch(/^application\/json/);
  expect(JSON.parse(res.text), 'JSON body').toEqual(want.body);
  if (want.retryAfter) expect(res.header('retry-after') ?? '', 'Retry-After').toMatch(/^[1-9]\d*$/);
  if (want.dpopNonce !== undefined)
    expect(res.header('dpop-nonce') ?? '', 'DPoP-Nonce').toMatch(want.dpopNonce ? /^\S+$/ : /^$/);
  expect(suite.hits.length > 0, 'whether the handler ran').toBe(want.handlerRan);
  if (want.handlerRan) {
    expect(suite.hits).toHaveLength(1);
    const [hit] = suite.hits;
    expect(hit?.route).toBe(spec.path.split('?')[0]);
    // One "no auth" value in every adapter: `undefined`, never `null`.
    if ((want.body as { auth?: unknown }).auth === null)
      expect(hit?.auth, 'the no-auth value').toBeUndefined();
    if (hit?.auth) {
      expect(sentTokens(spec)).toContain(hit.auth.token);
      expect(hit.auth.claims.sub).toBe('test-user');
      expect(hit.auth.header.alg).toBeTypeOf('string');
    }
  } else {
    assertSafeBody(res, spec, suite);
  }
}
