import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_KEY, PUBLIC_KEY } from './constants.js';
import { AnyScope, OptionalAuth, Public, RequireClaims, Scopes } from './decorators.js';

describe('decorators', () => {
  it('refuses a scope that is not an RFC 6749 scope-token with a TypeError at definition', () => {
    expect(() => Scopes('read things')).toThrow(TypeError);
    expect(() => AnyScope('ok', 'with"quote')).toThrow(TypeError);
  });

  it('refuses an empty or malformed claim requirement with a TypeError at definition', () => {
    expect(() => RequireClaims({})).toThrow(TypeError);
    expect(() => RequireClaims({ org: { includes: [] } })).toThrow(TypeError);
  });

  it('records @Public() and @OptionalAuth() as route metadata, allow-missing by default', () => {
    class Routes {
      @Public() open() {}
      @OptionalAuth() optional() {}
      @OptionalAuth('allow-invalid') lenient() {}
    }
    const meta = (key: string, name: keyof Routes) =>
      Reflect.getMetadata(key, Routes.prototype[name]);
    expect(meta(PUBLIC_KEY, 'open')).toBe(true);
    expect(meta(OPTIONAL_KEY, 'optional')).toBe('allow-missing');
    expect(meta(OPTIONAL_KEY, 'lenient')).toBe('allow-invalid');
  });
});
