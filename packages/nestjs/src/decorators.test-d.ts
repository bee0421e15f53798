import type { AuthInfo } from '@tokengate/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  AnyScope,
  Auth,
  type AuthClaim,
  type AuthenticatedRequest,
  type MaybeAuth,
  OptionalAuth,
  Public,
  RequireClaims,
  Scopes,
} from './decorators.js';

declare global {
  namespace Tokengate {
    interface Register {
      claims: { sub: string; org: 'acme' | 'globex'; roles: string[] };
    }
  }
}

describe('decorator types', () => {
  it('types @Auth() as a parameter decorator and a claim from the registered claims', () => {
    expectTypeOf(Auth()).toEqualTypeOf<ParameterDecorator>();
    expectTypeOf(Auth('org')).toEqualTypeOf<ParameterDecorator>();
    expectTypeOf<AuthClaim<'org'>>().toEqualTypeOf<'acme' | 'globex'>();
    expectTypeOf<AuthClaim<'roles'>>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<AuthInfo['claims']['sub']>().toEqualTypeOf<string>();
    // @ts-expect-error a claim name is a string
    Auth(1);
  });

  it('types the no-auth value: @Auth() as MaybeAuth, request.auth possibly undefined', () => {
    expectTypeOf<MaybeAuth>().toEqualTypeOf<AuthInfo | undefined>();
    expectTypeOf<AuthenticatedRequest['auth']>().toEqualTypeOf<AuthInfo | undefined>();
    expectTypeOf<NonNullable<MaybeAuth>['claims']['org']>().toEqualTypeOf<'acme' | 'globex'>();

    // The README's annotation on a route where the token may be absent.
    class FeedController {
      @OptionalAuth()
      feed(@Auth() auth: MaybeAuth, @Auth('org') org: AuthClaim<'org'> | undefined) {
        // @ts-expect-error possibly undefined until narrowed
        auth.claims;
        expectTypeOf(auth?.claims.sub).toEqualTypeOf<string | undefined>();
        expectTypeOf(org).toEqualTypeOf<'acme' | 'globex' | undefined>();
      }
    }
    expectTypeOf<FeedController['feed']>().parameter(0).toEqualTypeOf<MaybeAuth>();
  });

  it('types what @Auth() injects read-only, as it is frozen at runtime', () => {
    class MeController {
      me(@Auth() auth: AuthInfo, @Auth('roles') roles: AuthClaim<'roles'>) {
        expectTypeOf(auth.claims.org).toEqualTypeOf<'acme' | 'globex'>();
        expectTypeOf(roles).toEqualTypeOf<readonly string[]>();
        const admin: boolean = roles.includes('admin');
        // @ts-expect-error a claim is read-only
        auth.claims.org = 'globex';
        // @ts-expect-error an array claim is a readonly array
        auth.claims.roles.push('admin');
        // @ts-expect-error the injected claim is the same frozen array
        roles.push('admin');
        // @ts-expect-error a header parameter is read-only
        auth.header.kid = 'k2';
        return admin;
      }
    }
    expectTypeOf<MeController['me']>().parameter(1).toEqualTypeOf<readonly string[]>();
  });

  it('accepts only the optional modes core knows', () => {
    OptionalAuth();
    OptionalAuth('allow-invalid');
    OptionalAuth(false);
    // @ts-expect-error not a mode
    OptionalAuth('sometimes');
  });

  it('requires at least one scope, as strings', () => {
    Scopes('read:things');
    AnyScope('a', 'b');
    // @ts-expect-error no scope
    Scopes();
    // @ts-expect-error scopes are strings
    AnyScope(1);
  });

  it("takes core's claim requirements in @RequireClaims()", () => {
    RequireClaims({ org: 'acme', roles: { includes: 'admin' } });
    RequireClaims({ level: (value) => typeof value === 'number' });
    // @ts-expect-error not a requirement
    RequireClaims({ org: null });
  });

  it('gives class and method decorators for @Public() and @Scopes()', () => {
    expectTypeOf(Public()).toMatchTypeOf<ClassDecorator & MethodDecorator>();
    expectTypeOf(Scopes('x')).toMatchTypeOf<ClassDecorator & MethodDecorator>();
  });
});
