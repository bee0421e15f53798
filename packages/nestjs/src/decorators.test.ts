import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_KEY, PUBLIC_KEY, SCOPES_KEY } from './constants.js';
import { AnyScope, OptionalAuth, Public, RequireClaims, Scopes } from './decorators.js';

describe('decorators', () => {
  it('refuses a scope that is not an RFC 6749 scope-token with a TypeError at definition', () => {
    expect(() => Scopes('read things')).toThrow(TypeError);
    expect(() => Scopes('read things')).toThrow(/^@Scopes\(\): /);
    expect(() => AnyScope('ok', 'with"quote')).toThrow(/^@AnyScope\(\): /);
    // From JavaScript, where the types do not stop it.
    expect(() => (Scopes as (...s: string[]) => unknown)()).toThrow(TypeError);
  });

  it('refuses an empty or malformed claim requirement with a TypeError at definition', () => {
    expect(() => RequireClaims({})).toThrow(TypeError);
    expect(() => RequireClaims({ org: { includes: [] } })).toThrow(/^@RequireClaims\(\): /);
  });

  it('refuses an unknown optional mode with a TypeError at definition', () => {
    expect(() => OptionalAuth('sometimes' as never)).toThrow(TypeError);
    expect(() => OptionalAuth('sometimes' as never)).toThrow(/^@OptionalAuth\(\): /);
  });

  it('records @Public() as a boolean and the rules as compiled route rules', () => {
    class Routes {
      @Public() open() {}
      @OptionalAuth() optional() {}
      @OptionalAuth('allow-invalid') lenient() {}
      @OptionalAuth(false) required() {}
      @Scopes('read') scoped() {}
    }
    const meta = (key: string, name: keyof Routes) =>
      Reflect.getMetadata(key, Routes.prototype[name]);
    expect(meta(PUBLIC_KEY, 'open')).toBe(true);
    expect(meta(OPTIONAL_KEY, 'optional')).toMatchObject({ optional: 'allow-missing', checks: [] });
    expect(meta(OPTIONAL_KEY, 'lenient')).toMatchObject({ optional: 'allow-invalid' });
    expect(meta(OPTIONAL_KEY, 'required')).toMatchObject({ optional: false });
    expect(meta(SCOPES_KEY, 'scoped')).toMatchObject({ optional: undefined });
    expect(meta(SCOPES_KEY, 'scoped').checks).toHaveLength(1);
  });
});
