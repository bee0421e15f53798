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
  it('answers an unavailable key set with 503 and Retry-After, no challenge', () => {
    const e = new KeySetUnavailableError(undefined, { retryAfter: 10 });
    expect(e.toResponse()).toMatchObject({ status: 503, headers: { 'Retry-After': '10' } });
  });
});
