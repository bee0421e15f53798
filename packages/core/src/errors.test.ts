import { describe, expect, it } from 'vitest';
import {
  InsufficientScopeError,
  KeySetUnavailableError,
  MissingTokenError,
  TokenExpiredError,
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
});
