import { describe, expectTypeOf, it } from 'vitest';
import type {
  AuthInfo,
  JwksCacheEntry,
  JwksCacheStore,
  RegisteredClaims,
  RemoteJwksOptions,
  Verifier,
} from './index.js';

declare module './types.js' {
  interface Register {
    claims: { sub: string; org: string };
  }
}

describe('the public types', () => {
  it('types the claims of AuthInfo once for every adapter', () => {
    expectTypeOf<RegisteredClaims['org']>().toEqualTypeOf<string>();
    expectTypeOf<AuthInfo['claims']['sub']>().toEqualTypeOf<string>();
    expectTypeOf<AuthInfo['claims']['exp']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AuthInfo['scopes']>().toEqualTypeOf<ReadonlySet<string>>();
  });

  it('types an anonymous authentication as undefined, never null', () => {
    expectTypeOf<Awaited<ReturnType<Verifier['authenticate']>>>().toEqualTypeOf<
      AuthInfo | undefined
    >();
    expectTypeOf<Verifier>().not.toHaveProperty('verifyNow');
    expectTypeOf<Verifier>().not.toHaveProperty('authenticateNow');
    expectTypeOf<Verifier>().not.toHaveProperty('prepareError');
  });

  it('exports the JWKS store types an application implements', () => {
    expectTypeOf<RemoteJwksOptions['store']>().toEqualTypeOf<JwksCacheStore | undefined>();
    expectTypeOf<Parameters<JwksCacheStore['set']>[1]>().toEqualTypeOf<JwksCacheEntry>();
  });
});
