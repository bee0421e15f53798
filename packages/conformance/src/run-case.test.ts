import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthInfo } from '@tokengate/core';
import { createTestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardCases, modeCases, requestCases } from './cases-routes.js';
import { invalidTokenCases } from './cases-tokens.js';
import type { ConformanceCase } from './expectations.js';
import { mintFixtures } from './fixtures.js';
import { type CaseTarget, runCase } from './run-case.js';

// A fake adapter that answers whatever the test scripts, to prove the checks catch each flaw.
interface Scripted {
  status: number;
  headers: [string, string][];
  body: string;
  /** The handler ran and saw this auth value (absent: it did not run). */
  hit?: { auth: AuthInfo | null | undefined };
}
let script: Scripted;
let server: Server;
const target = { hits: [] } as unknown as CaseTarget;

beforeAll(async () => {
  target.issuer = await createTestIssuer({ algorithms: ['RS256', 'ES256', 'EdDSA'] });
  target.tokens = await mintFixtures(target.issuer);
  server = createServer((req, res) => {
    if (script.hit !== undefined) target.hits.push({ route: req.url ?? '', auth: script.hit.auth });
    res.writeHead(script.status, script.headers.flat());
    res.end(script.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await target.issuer.close();
});
beforeEach(() => {
  target.hits.length = 0;
});

const byName = (list: ConformanceCase[], start: string) => {
  const found = list.find((c) => c.name.startsWith(start));
  if (!found) throw new Error(`no case ${start}`);
  return found;
};
const missingCase = byName(requestCases, 'answers 401 with the realm and no error code');
const expiredCase = byName(invalidTokenCases, 'refuses an expired token');
const downCase = byName(modeCases, 'answers 503');
const json: [string, string] = ['content-type', 'application/json'];
const missingBody = JSON.stringify(missingCase.expect.body);
const bare: [string, string] = ['www-authenticate', 'Bearer realm="tokengate-test"'];

describe('runCase', () => {
  it('passes a response that matches the case exactly', async () => {
    script = { status: 401, headers: [json, bare], body: missingBody };
    await expect(runCase(target, missingCase)).resolves.toBeUndefined();
  });

  it('fails a challenge without the realm', async () => {
    script = { status: 401, headers: [json, ['www-authenticate', 'Bearer']], body: missingBody };
    await expect(runCase(target, missingCase)).rejects.toThrow(/realm/);
  });

  it('fails two WWW-Authenticate headers', async () => {
    script = { status: 401, headers: [json, bare, bare], body: missingBody };
    await expect(runCase(target, missingCase)).rejects.toThrow(/2 "www-authenticate" headers/);
  });

  it('fails a refusal after the handler already ran', async () => {
    script = { status: 401, headers: [json, bare], body: missingBody, hit: { auth: undefined } };
    await expect(runCase(target, missingCase)).rejects.toThrow(/whether the handler ran/);
  });

  it('fails a body that is not JSON', async () => {
    script = { status: 401, headers: [['content-type', 'text/plain'], bare], body: 'nope' };
    await expect(runCase(target, missingCase)).rejects.toThrow();
  });

  it('fails a wrong status and shows the body', async () => {
    script = { status: 500, headers: [json], body: '{"error":"boom"}' };
    await expect(runCase(target, missingCase)).rejects.toThrow(/boom/);
  });

  it('fails an invalid-token answer with the wrong description', async () => {
    const wrong = 'Bearer realm="tokengate-test", error="invalid_token", error_description="bad"';
    const body = JSON.stringify(expiredCase.expect.body);
    script = { status: 401, headers: [json, ['www-authenticate', wrong]], body };
    await expect(runCase(target, expiredCase)).rejects.toThrow(/WWW-Authenticate/);
  });

  it('fails an invalid-claim body that does not name the claim', async () => {
    const claims = byName(guardCases, 'refuses another org');
    const { claim, ...unnamed } = claims.expect.body as { claim: string };
    expect(claim).toBe('org');
    const header: [string, string] = ['www-authenticate', claims.expect.wwwAuthenticate ?? ''];
    script = { status: 401, headers: [json, header], body: JSON.stringify(unnamed) };
    await expect(runCase(target, claims)).rejects.toThrow(/JSON body/);
    script.body = JSON.stringify(claims.expect.body);
    await expect(runCase(target, claims)).resolves.toBeUndefined();
  });

  it('fails a 503 without Retry-After', async () => {
    script = { status: 503, headers: [json], body: JSON.stringify(downCase.expect.body) };
    await expect(runCase(target, downCase)).rejects.toThrow(/Retry-After/);
    script.headers.push(['retry-after', '7']);
    await expect(runCase(target, downCase)).resolves.toBeUndefined();
  });

  it('fails a 200 when the handler saw another token than the one sent', async () => {
    const valid = byName(requestCases, 'accepts the scheme in lowercase');
    const body = JSON.stringify(valid.expect.body);
    const auth = { token: target.tokens.validEs256, header: { alg: 'ES256' } };
    script = {
      status: 200,
      headers: [json],
      body,
      hit: { auth: { ...auth, claims: { sub: 'test-user' }, scopes: new Set() } },
    };
    await expect(runCase(target, valid)).rejects.toThrow();
    script.hit = { auth: { ...script.hit!.auth!, token: target.tokens.valid } };
    await expect(runCase(target, valid)).resolves.toBeUndefined();
  });

  it('fails an anonymous request whose handler saw null instead of undefined', async () => {
    const anonymous = byName(modeCases, 'allow-missing: passes a request without a token');
    const body = JSON.stringify(anonymous.expect.body);
    script = { status: 200, headers: [json], body, hit: { auth: null } };
    await expect(runCase(target, anonymous)).rejects.toThrow(/the no-auth value/);
    script.hit = { auth: undefined };
    await expect(runCase(target, anonymous)).resolves.toBeUndefined();
  });
});
