import { describe, expect, it, vi } from 'vitest';
import {
  AuthenticationNotRunError,
  InsufficientScopeError,
  InvalidClaimError,
  InvalidSignatureError,
  InvalidTokenError,
  isTokengateError,
  KeySetUnavailableError,
  MissingTokenError,
  RevokedTokenError,
  StoreUnavailableError,
  TokenExpiredError,
  TokengateError,
} from './errors.js';

describe('errors', () => {
  it('gives a missing token a challenge with no error code (RFC 6750 §3.1)', () => {
    const e = new MissingTokenError();
    e.challengeOptions = { realm: 'api' };
    expect(e.status).toBe(401);
    expect(e.wwwAuthenticate).toBe('Bearer realm="api"');
  });
  it('describes an expired token as invalid_token', () => {
    const e = new TokenExpiredError();
    expect(e.wwwAuthenticate).toBe(
      'Bearer error="invalid_token", error_description="The token has expired"',
    );
    expect(e.toJSON()).toEqual({
      error: 'invalid_token',
      error_description: 'The token has expired',
      code: 'ERR_TOKEN_EXPIRED',
    });
  });
  it('puts the required scope in a 403 challenge', () => {
    const e = new InsufficientScopeError(['read:a', 'write:b']);
    expect(e.statusCode).toBe(403);
    expect(e.wwwAuthenticate).toContain('scope="read:a write:b"');
  });
  it('escapes quotes and backslashes and strips control characters in challenge values', () => {
    const e = new TokenExpiredError();
    e.challengeOptions = {
      realm: 'my "api"\\zone\r\nSet-Cookie: x=1\u0000\u007f',
      resourceMetadata: 'https://api.example/"meta"',
    };
    const value = e.wwwAuthenticate as string;
    expect(value).toBe(
      'Bearer realm="my \\"api\\"\\\\zoneSet-Cookie: x=1", error="invalid_token", ' +
        'error_description="The token has expired", resource_metadata="https://api.example/\\"meta\\""',
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(value).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('escapes a scope value in an insufficient_scope challenge', () => {
    const e = new InsufficientScopeError(['read:"all"']);
    expect(e.wwwAuthenticate).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope", scope="read:\\"all\\""',
    );
  });

  it('answers an unavailable key set with 503 and Retry-After, no challenge', () => {
    const e = new KeySetUnavailableError(undefined, { retryAfter: 10 });
    expect(e.toResponse()).toMatchObject({ status: 503, headers: { 'Retry-After': '10' } });
  });

  it('names the failed claim in the JSON body of an invalid claim', () => {
    const e = new InvalidClaimError('org', 'The token is not for this organisation');
    expect(e.toJSON()).toEqual({
      error: 'invalid_token',
      error_description: 'The token is not for this organisation',
      code: 'ERR_CLAIM_INVALID',
      claim: 'org',
    });
    expect(e.toResponse().body).toEqual(e.toJSON());
    expect(JSON.parse(JSON.stringify(e))).toEqual(e.toJSON());
  });

  it('keeps other bodies to error, error_description and code', () => {
    expect(Object.keys(new TokenExpiredError().toJSON())).toEqual([
      'error',
      'error_description',
      'code',
    ]);
    expect(Object.keys(new AuthenticationNotRunError('requireScopes()').toJSON())).toEqual([
      'error',
      'error_description',
      'code',
    ]);
  });
});

describe('instanceof across copies of the module', () => {
  // A second instance of the same source, as a second build (ESM beside CommonJS) gives one.
  async function otherCopy(): Promise<typeof import('./errors.js')> {
    vi.resetModules();
    const copy = await import('./errors.js');
    expect(copy.TokengateError).not.toBe(TokengateError);
    return copy;
  }

  it("recognises the other copy's errors by class, family and base", async () => {
    const other = await otherCopy();
    const expired = new other.TokenExpiredError();
    expect(expired instanceof TokenExpiredError).toBe(true);
    expect(expired instanceof InvalidTokenError).toBe(true);
    expect(expired instanceof TokengateError).toBe(true);
    expect(isTokengateError(expired)).toBe(true);
    expect(new TokenExpiredError() instanceof other.TokenExpiredError).toBe(true);
    expect(other.isTokengateError(new InsufficientScopeError(['a']))).toBe(true);
  });

  it("refuses the other copy's errors of another class or family", async () => {
    const other = await otherCopy();
    const expired = new other.TokenExpiredError();
    expect(expired instanceof InvalidSignatureError).toBe(false);
    expect(expired instanceof InsufficientScopeError).toBe(false);
    expect(new other.InsufficientScopeError(['a']) instanceof InvalidTokenError).toBe(false);
    expect(new other.KeySetUnavailableError() instanceof MissingTokenError).toBe(false);
  });

  it('refuses a plain Error, a look-alike class of the same name and non-objects', () => {
    class TokenExpiredErrorLookalike extends Error {
      readonly code = 'ERR_TOKEN_EXPIRED';
      readonly status = 401;
    }
    Object.defineProperty(TokenExpiredErrorLookalike, 'name', { value: 'TokenExpiredError' });
    const lookalike = new TokenExpiredErrorLookalike('expired');
    expect(lookalike instanceof TokenExpiredError).toBe(false);
    expect(isTokengateError(lookalike)).toBe(false);
    expect(isTokengateError(new Error('x'))).toBe(false);
    expect(isTokengateError({ code: 'ERR_TOKEN_EXPIRED', status: 401 })).toBe(false);
    for (const value of [undefined, null, 'ERR_TOKEN_EXPIRED', 401, () => {}]) {
      expect(isTokengateError(value)).toBe(false);
    }
  });

  it('checks an application subclass by its prototype chain only', async () => {
    class TenantError extends InvalidClaimError {}
    const other = await otherCopy();
    expect(new TenantError('tenant') instanceof TenantError).toBe(true);
    expect(new TenantError('tenant') instanceof other.InvalidClaimError).toBe(true);
    expect(new other.InvalidClaimError('tenant') instanceof TenantError).toBe(false);
  });

  it('narrows to the class in TypeScript', () => {
    const e: unknown = new TokenExpiredError();
    if (e instanceof TokenExpiredError) expect(e.code).toBe('ERR_TOKEN_EXPIRED');
    else expect.unreachable();
  });
});

describe('StoreUnavailableError.from', () => {
  it('wraps what a store threw in a 503, keeping it as the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = StoreUnavailableError.from(cause, 'The replay store failed');
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ status: 503, message: 'The replay store failed', cause });
    expect(error.headers).toEqual({ 'Retry-After': '5', 'Cache-Control': 'no-store' });
  });

  it("passes a store's own tokengate error through as it is", () => {
    const own = new StoreUnavailableError('Redis timed out', { retryAfter: 2 });
    expect(StoreUnavailableError.from(own, 'unused')).toBe(own);
    const revoked = new RevokedTokenError();
    expect(StoreUnavailableError.from(revoked, 'unused')).toBe(revoked);
  });
});
