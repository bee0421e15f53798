// The fixture every test file of the built bin shares: a test issuer on 127.0.0.1 (JWKS and
// OIDC discovery), a temporary directory for key and config files, and the verifier flags
// that trust the issuer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { assertBuilt, type Outcome, tokengate } from './bin.js';

/** What the tests of one file share; filled in by the `beforeAll` of {@link useIssuer}. */
export interface Fixture {
  issuer: TestIssuer;
  dir: string;
  /** `--issuer <the issuer> --audience api --jwks-uri <its JWKS>`. */
  trust: string[];
}

/** Start a test issuer (audience `api`) for this file's tests, after checking the build. */
export function useIssuer(): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    assertBuilt();
    const issuer = await createTestIssuer({ audience: 'api' });
    fixture.issuer = issuer;
    fixture.dir = mkdtempSync(join(tmpdir(), 'tokengate-cli-'));
    fixture.trust = ['--issuer', issuer.issuer, '--audience', 'api', '--jwks-uri', issuer.jwksUri];
  });
  afterAll(async () => {
    await fixture.issuer?.close();
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** Write `content` to `name` in the fixture's directory; returns the path. */
export function writeFixtureFile(fixture: Fixture, name: string, content: string): string {
  const path = join(fixture.dir, name);
  writeFileSync(path, content);
  return path;
}

/** `tokengate verify <args>` with the token on stdin. */
export function verifyToken(token: string, args: string[], env?: Record<string, string>) {
  return tokengate(['verify', ...args], { stdin: token, ...(env ? { env } : {}) });
}

/** No stack trace, and the token nowhere in the output. */
export function expectClean(outcome: Outcome, token?: string): void {
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
  if (token) {
    expect(outcome.stdout).not.toContain(token);
    expect(outcome.stderr).not.toContain(token);
  }
}
