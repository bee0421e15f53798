import { describe, expectTypeOf, it } from 'vitest';
import type { AuthInfo, RegisteredClaims } from './index.js';

declare module './types.js' {
  interface Register {
    claims: { sub: string; org: string };
  }
}

describe('Register', () => {
  it('types the claims of AuthInfo once for every adapter', () => {
    expectTypeOf<RegisteredClaims['org']>().toEqualTypeOf<string>();
    expectTypeOf<AuthInfo['claims']['sub']>().toEqualTypeOf<string>();
    expectTypeOf<AuthInfo['claims']['exp']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AuthInfo['scopes']>().toEqualTypeOf<ReadonlySet<string>>();
  });
});
