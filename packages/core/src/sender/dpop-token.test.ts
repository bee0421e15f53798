// RFC 9449 §7.1: `Authorization: DPoP <token>`, one credential per request (RFC 6750 §2).
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors.js';
import { dpopToken } from '../extract.js';
import { request } from '../test-support/tokens.js';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';

describe('dpopToken', () => {
  it('reads the token of the DPoP scheme, in any case, after one or more spaces', () => {
    for (const header of [`DPoP ${TOKEN}`, `dpop ${TOKEN}`, `DPOP   ${TOKEN}`, `  DPoP ${TOKEN}  `])
      expect(dpopToken(request({ authorization: header }), {})).toBe(TOKEN);
  });

  it('is undefined without an Authorization header or for another scheme', () => {
    expect(dpopToken(request(), {})).toBeUndefined();
    for (const header of [
      `Bearer ${TOKEN}`,
      'Basic dXNlcjpwYXNz',
      `DPoPx ${TOKEN}`,
      `DPo ${TOKEN}`,
    ])
      expect(dpopToken(request({ authorization: header }), {})).toBeUndefined();
  });

  it('refuses a DPoP header without a token, or with a malformed one', () => {
    for (const header of ['DPoP', 'DPoP ', `DPoP ${TOKEN} extra`, 'DPoP a,b', `DPoP "${TOKEN}"`])
      expect(() => dpopToken(request({ authorization: header }), {})).toThrow(
        new InvalidRequestError('The Authorization header must be "DPoP <token>"'),
      );
  });

  it('refuses a second Authorization header beside the DPoP one', () => {
    const authorization = [`DPoP ${TOKEN}`, `Bearer ${TOKEN}`];
    expect(() => dpopToken(request({ authorization }), {})).toThrow(
      /more than one Authorization header/,
    );
  });

  it('refuses a cookie or query token beside it', () => {
    const header = { authorization: `DPoP ${TOKEN}` };
    expect(() => dpopToken(request(header, { session: TOKEN }), { cookie: 'session' })).toThrow(
      /more than one access token/,
    );
    expect(() => dpopToken(request(header, {}, { access_token: TOKEN }), {})).toThrow(
      /more than one access token/,
    );
    expect(dpopToken(request(header, { session: '' }), { cookie: 'session' })).toBe(TOKEN);
    expect(dpopToken(request(header, { other: TOKEN }), { cookie: 'session' })).toBe(TOKEN);
  });
});
