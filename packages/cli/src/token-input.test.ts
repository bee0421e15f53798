import { describe, expect, it } from 'vitest';
import { UsageError } from './io.js';
import { parseTokenText } from './token-input.js';

describe('parseTokenText', () => {
  it('takes a token as is, trimmed', () => {
    expect(parseTokenText('  a.b.c\n')).toEqual({ token: 'a.b.c', scheme: undefined });
  });

  it('drops a Bearer or DPoP scheme, in any case, and an Authorization header name', () => {
    expect(parseTokenText('Bearer a.b.c')).toEqual({ token: 'a.b.c', scheme: 'Bearer' });
    expect(parseTokenText('authorization: dpop a.b.c')).toEqual({ token: 'a.b.c', scheme: 'DPoP' });
    expect(parseTokenText('Authorization:BEARER   a.b.c')).toEqual({
      token: 'a.b.c',
      scheme: 'Bearer',
    });
  });

  it('drops quotes around a token copied from JSON or a shell', () => {
    expect(parseTokenText('"a.b.c"').token).toBe('a.b.c');
    expect(parseTokenText("Bearer 'a.b.c'").token).toBe('a.b.c');
  });

  it('refuses an empty input and more than one word', () => {
    expect(() => parseTokenText(' \n')).toThrow(new UsageError('No token: the input is empty'));
    expect(() => parseTokenText('Authorization: Bearer ')).toThrow(
      new UsageError('No token after the "Bearer" scheme'),
    );
    expect(() => parseTokenText('Basic dXNlcjpwYXNz')).toThrow('is not one token');
    expect(() => parseTokenText('a.b.c d.e.f')).toThrow('is not one token');
  });
});
