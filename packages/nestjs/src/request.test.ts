import { describe, expect, it } from 'vitest';
import { toTokenRequest } from './request.js';

describe('toTokenRequest', () => {
  it('returns every value of a repeated header from the raw headers, by any case', () => {
    const req = toTokenRequest({
      headers: { authorization: 'Bearer a, Bearer b' },
      rawHeaders: ['Authorization', 'Bearer a', 'authorization', 'Bearer b', 'Host', 'x'],
    });
    expect(req.header('AUTHORIZATION')).toEqual(['Bearer a', 'Bearer b']);
    expect(req.header('host')).toBe('x');
    expect(req.header('cookie')).toBeUndefined();
  });

  it('reads the raw headers of a Fastify request from request.raw', () => {
    const req = toTokenRequest({ headers: {}, raw: { rawHeaders: ['authorization', 'Bearer t'] } });
    expect(req.header('authorization')).toBe('Bearer t');
  });

  it('falls back to parsed headers when there are no raw headers', () => {
    expect(toTokenRequest({ headers: { authorization: 'Bearer t' } }).header('Authorization')).toBe(
      'Bearer t',
    );
  });

  it('reads cookies from req.cookies, else from the Cookie header, never from the prototype', () => {
    const parsed = toTokenRequest({ cookies: { at: 'from-parser' } });
    expect(parsed.cookie?.('at')).toBe('from-parser');
    expect(parsed.cookie?.('constructor')).toBeUndefined();
    const raw = toTokenRequest({ rawHeaders: ['Cookie', 'a=1; at=tok%2E1'] });
    expect(raw.cookie?.('at')).toBe('tok.1');
    expect(raw.cookie?.('missing')).toBeUndefined();
  });

  it('reads query values from the raw URL, repeated values as a list', () => {
    const req = toTokenRequest({ url: '/x?access_token=a&access_token=b&q=1' });
    expect(req.query?.('access_token')).toEqual(['a', 'b']);
    expect(req.query?.('q')).toBe('1');
    expect(toTokenRequest({ raw: { url: '/y' } }).query?.('access_token')).toBeUndefined();
  });

  it('gives the method and the URL as received, the raw URL first', () => {
    const express = toTokenRequest({ method: 'POST', url: '/b?x=1', originalUrl: '/a/b?x=1' });
    expect([express.method, express.url]).toEqual(['POST', '/a/b?x=1']);
    const fastify = toTokenRequest({ method: 'GET', url: '/p', raw: { url: '/p?q=1' } });
    expect([fastify.method, fastify.url]).toEqual(['GET', '/p?q=1']);
  });
});
