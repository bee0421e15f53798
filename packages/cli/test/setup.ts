// What every test file of the built bin opens with: the issuer fixture, its `issuer` and `trust`
// flags, and `file` and `verify` bound to them. Call `useCli()` at the top of the file; the
// bindings below are filled in by its `beforeAll`, before the file's tests read them.
import type { TestIssuer } from '@tokengate/testing';
import { beforeAll } from 'vitest';
import { type Fixture, useIssuer, verifyToken, writeFixtureFile } from './fixture.js';

export let fixture: Fixture;
export let issuer: TestIssuer;
export let trust: string[];

/** Start this file's test issuer (see {@link useIssuer}) and point the bindings at it. */
export function useCli(): void {
  const current = useIssuer();
  fixture = current;
  beforeAll(() => {
    ({ issuer, trust } = current);
  });
}

/** Write `content` to `name` in the fixture's directory; returns the path. */
export const file = (name: string, content: string) => writeFixtureFile(fixture, name, content);

/** `tokengate verify <args>` with the token on stdin; `args` defaults to the issuer's trust. */
export const verify = (token: string, args: string[] = trust, env?: Record<string, string>) =>
  verifyToken(token, args, env);
