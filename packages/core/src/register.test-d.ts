import { describe, expectTypeOf, it } from 'vitest';
import type {
  AuthInfo,
  Frozen,
  JWTClaims,
  JwksCacheEntry,
  JwksCacheStore,
  RegisteredClaims,
  RemoteJwksOptions,
  Verifier,
} from './index.js';

// The documented declaration: a global namespace, which reaches core under every package
// manager (an application that installs only an adapter cannot name core under pnpm).
declare global {
  namespace Tokengate {
    interface Register {
      claims: { sub: string; org: string; roles: string[]; address: { city: string } };
    }
  }
}

// The module form still types the claims where the application can name core; both combine.
declare module './types.js' {
  interface Register {
    claims: { tenant: string };
  }
}

declare const auth: AuthInfo;

describe('the public types', () => {
  it('types the claims of AuthInfo once for every adapter', () => {
    expectTypeOf<RegisteredClaims['org']>().toEqualTypeOf<string>();
    expectTypeOf<AuthInfo['claims']['sub']>().toEqualTypeOf<string>();
    expectTypeOf<AuthInfo['claims']['exp']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AuthInfo['scopes']>().toEqualTypeOf<ReadonlySet<string>>();
  });

  it('combines the global and the module declarations', () => {
    expectTypeOf<RegisteredClaims['tenant']>().toEqualTypeOf<string>();
    expectTypeOf(auth.claims.tenant).toEqualTypeOf<string>();
    expectTypeOf<RegisteredClaims>().toExtend<JWTClaims>();
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

describe('claims and header are read-only, as they are frozen at runtime', () => {
  it('refuses a write to a claim, deep or shallow', () => {
    // @ts-expect-error a registered claim is read-only
    auth.claims.org = 'globex';
    // @ts-expect-error a registered claim of JWTClaims is read-only
    auth.claims.exp = 0;
    // @ts-expect-error a claim the token merely carries is read-only too
    auth.claims.anything = 1;
    // @ts-expect-error a claim cannot be deleted
    delete auth.claims.org;
    // @ts-expect-error an array claim is a readonly array
    auth.claims.roles.push('admin');
    // @ts-expect-error ... by index too
    auth.claims.roles[0] = 'admin';
    // @ts-expect-error a nested object is read-only
    auth.claims.address.city = 'Paris';
    // @ts-expect-error the claims object itself cannot be replaced
    auth.claims = { ...auth.claims };
  });

  it('refuses a write to the header and to the scopes', () => {
    // @ts-expect-error a header parameter is read-only
    auth.header.alg = 'none';
    // @ts-expect-error an array header parameter is a readonly array
    auth.header.crit?.push('b64');
    // @ts-expect-error the scopes are a ReadonlySet
    auth.scopes.add('admin');
  });

  it('reads the claims as before', () => {
    const org: string = auth.claims.org;
    const city: string = auth.claims.address.city;
    const admin: boolean = auth.claims.roles.includes('admin');
    const upper: string[] = auth.claims.roles.map((role) => role.toUpperCase());
    const aud: string | readonly string[] | undefined = auth.claims.aud;
    const kid: string | undefined = auth.header.kid;
    expectTypeOf(auth.claims.roles).toEqualTypeOf<readonly string[]>();
    void [org, city, admin, upper, aud, kid];
  });

  it('gives a writable copy when the application copies', () => {
    const copy = { ...auth.claims, roles: [...auth.claims.roles] };
    copy.org = 'globex';
    copy.roles.push('admin');
  });

  it('makes an explicit claims type read-only too', () => {
    type Custom = AuthInfo<{ groups: string[]; meta: { level: number } }>;
    expectTypeOf<Custom['claims']['groups']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Custom['claims']>().toEqualTypeOf<
      Frozen<{ groups: string[]; meta: { level: number } }>
    >();
    const custom = {} as Custom;
    // @ts-expect-error nested in an explicit claims type
    custom.claims.meta.level = 2;
  });
});
