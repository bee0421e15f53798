import { describe, expect, it } from 'vitest';
import { InvalidRequestError, MalformedTokenError } from './errors.js';
import { builtInToken, extractToken } from './extract.js';
import { createGate } from './protocol/gate.js';
import { exchange } from './test-support/exchange.js';
import { AUDIENCE, ISSUER, request, SECRET } from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';

async function refused(promise: Promise<unknown>): Promise<InvalidRequestError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error).toMatchObject({ status: 400, bearerError: 'invalid_request' });
  return error as InvalidRequestError;
}

describe('extractToken: Authorization header (RFC 6750 §2.1)', () => {
  it('reads a Bearer token, scheme case-insensitive', async () => {
    expect(await extractToken(request({ authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(await extractToken(request({ Authorization: `bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(await extractToken(request({ authorization: `BEARER ${TOKEN}` }))).toBe(TOKEN);
  });

  it('resolves undefined when the request carries no token', async () => {
    expect(await extractToken(request())).toBeUndefined();
    expect(await extractToken(request({ authorization: [] }))).toBeUndefined();
  });

  it('accepts every b64token character, including trailing =', async () => {
    expect(await extractToken(request({ authorization: 'Bearer aZ09-._~+/==' }))).toBe(
      'aZ09-._~+/==',
    );
  });

  it('refuses "Bearer" with nothing after it', async () => {
    await refused(extractToken(request({ authorization: 'Bearer' })));
    await refused(extractToken(request({ authorization: 'Bearer   ' })));
  });

  it('refuses two credentials in one header', async () => {
    await refused(extractToken(request({ authorization: `Bearer ${TOKEN} ${TOKEN}` })));
  });

  it('refuses characters outside the b64token syntax', async () => {
    await refused(extractToken(request({ authorization: 'Bearer a"b' })));
    await refused(extractToken(request({ authorization: 'Bearer a=b' })));
  });

  it('finds no token in the credentials of another scheme (RFC 6750 §3.1)', async () => {
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Digest username="u", realm="r", nonce="n", uri="/", response="x"',
      'Negotiate',
      `Bearerx ${TOKEN}`,
      `Token ${TOKEN}`,
    ])
      expect(await extractToken(request({ authorization })), authorization).toBeUndefined();
  });

  it('refuses a Bearer line broken by a tab or another separator with 400', async () => {
    for (const authorization of [`Bearer\t${TOKEN}`, `Bearer:${TOKEN}`, `bearer,${TOKEN}`]) {
      const error = await refused(extractToken(request({ authorization })));
      expect(error.message).toBe('The Authorization header must be "Bearer <token>"');
    }
  });

  it('refuses a header that is no "<scheme> <credentials>" at all with 400', async () => {
    for (const authorization of ['"Bearer x"', ': x', 'Basic\tdXNlcjpwYXNz']) {
      const error = await refused(extractToken(request({ authorization })));
      expect(error.message).toBe('The Authorization header is malformed');
    }
  });

  it('refuses an empty Authorization header', async () => {
    await refused(extractToken(request({ authorization: '' })));
  });

  it('refuses two Authorization headers', async () => {
    await refused(extractToken(request({ authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] })));
  });
});

describe('extractToken: cookie and query (opt-in)', () => {
  it('ignores cookie and query unless enabled', async () => {
    const req = request({}, { at: TOKEN }, { access_token: TOKEN });
    expect(await extractToken(req)).toBeUndefined();
  });

  it('reads the named cookie when enabled', async () => {
    expect(await extractToken(request({}, { at: TOKEN }), { cookie: 'at' })).toBe(TOKEN);
    expect(await extractToken(request({}, { at: '' }), { cookie: 'at' })).toBeUndefined();
  });

  it('reads access_token from the query when enabled (RFC 6750 §2.3)', async () => {
    expect(await extractToken(request({}, {}, { access_token: TOKEN }), { query: true })).toBe(
      TOKEN,
    );
  });

  it('refuses a header plus a cookie, or a header plus a query parameter', async () => {
    const header = { authorization: `Bearer ${TOKEN}` };
    await refused(extractToken(request(header, { at: TOKEN }), { cookie: 'at' }));
    await refused(extractToken(request(header, {}, { access_token: TOKEN }), { query: true }));
  });

  it('refuses a header plus an access_token parameter when query is off (RFC 6750 §2)', async () => {
    const req = request({ authorization: `Bearer ${TOKEN}` }, { at: TOKEN }, { access_token: 'x' });
    for (const options of [{}, { query: false }, { cookie: 'other' }]) {
      const error = await refused(extractToken(req, options));
      expect(error.message).toBe('The request carries more than one access token');
    }
    const twice = request({ authorization: `Bearer ${TOKEN}` }, {}, { access_token: ['a', 'b'] });
    await refused(extractToken(twice));
  });

  it('ignores an access_token parameter beside no header token when query is off', async () => {
    const queryOnly = request({}, {}, { access_token: TOKEN });
    expect(await extractToken(queryOnly)).toBeUndefined();
    const basic = request({ authorization: 'Basic dXNlcjpwYXNz' }, {}, { access_token: TOKEN });
    expect(await extractToken(basic)).toBeUndefined();
    const empty = request({ authorization: `Bearer ${TOKEN}` }, {}, { access_token: '' });
    expect(await extractToken(empty)).toBe(TOKEN);
  });

  it('takes the cookie or query token beside the credentials of another scheme', async () => {
    const basic = { authorization: 'Basic dXNlcjpwYXNz' };
    expect(await extractToken(request(basic, { at: TOKEN }), { cookie: 'at' })).toBe(TOKEN);
    expect(await extractToken(request(basic, {}, { access_token: TOKEN }), { query: true })).toBe(
      TOKEN,
    );
    await refused(
      extractToken(request(basic, { at: TOKEN }, { access_token: TOKEN }), {
        cookie: 'at',
        query: true,
      }),
    );
  });

  it('refuses a repeated or empty access_token parameter', async () => {
    await refused(extractToken(request({}, {}, { access_token: [TOKEN, TOKEN] }), { query: true }));
    await refused(extractToken(request({}, {}, { access_token: '' }), { query: true }));
  });

  it('copes with a request view that has no cookie or query lookup', async () => {
    const bare = { header: () => undefined };
    expect(await extractToken(bare, { cookie: 'at', query: true })).toBeUndefined();
  });
});

describe('extractToken: custom extractor', () => {
  it('replaces the built-in extraction', async () => {
    const req = request({ 'x-token': TOKEN, authorization: 'Basic abc' });
    const extract = (r: typeof req) => r.header('x-token') as string | undefined;
    expect(await extractToken(req, { extract })).toBe(TOKEN);
    expect(await extractToken(req, { extract: async () => '' })).toBeUndefined();
  });

  it('turns an extractor failure or a non-string result into invalid_request', async () => {
    const req = request();
    await refused(
      extractToken(req, {
        extract: () => {
          throw new Error('boom');
        },
      }),
    );
    await refused(extractToken(req, { extract: () => 42 as never }));
  });

  it('passes a tokengate error thrown by the extractor through', async () => {
    const extract = () => {
      throw new MalformedTokenError();
    };
    await expect(extractToken(request(), { extract })).rejects.toBeInstanceOf(MalformedTokenError);
  });
});

describe('through the request protocol', () => {
  const gate = createGate(createVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE }));
  const basic = { authorization: 'Basic dXNlcjpwYXNz' };

  it('answers another scheme with 401, the challenge and no error code (RFC 6750 §3.1)', async () => {
    for (const authorization of [basic.authorization, 'Digest username="u", nonce="n"']) {
      const answer = await gate.authenticate(exchange(request({ authorization })));
      expect(answer, authorization).toMatchObject({
        kind: 'refuse',
        refusal: {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
          body: { error: 'unauthorized', code: 'ERR_TOKEN_MISSING' },
        },
      });
    }
  });

  it('lets another scheme through as anonymous under allow-missing', async () => {
    const optional = createGate(
      createVerifier({
        secret: SECRET,
        issuer: ISSUER,
        audience: AUDIENCE,
        optional: 'allow-missing',
      }),
    );
    expect(await optional.authenticate(exchange(request(basic)))).toEqual({
      kind: 'pass',
      auth: undefined,
    });
  });

  it('answers a header token plus an access_token parameter with 400, query off', async () => {
    const view = request({ authorization: `Bearer ${TOKEN}` }, {}, { access_token: TOKEN });
    expect(await gate.authenticate(exchange(view))).toMatchObject({
      kind: 'refuse',
      refusal: {
        status: 400,
        headers: {
          'WWW-Authenticate':
            'Bearer realm="api", error="invalid_request", error_description="The request carries more than one access token"',
        },
        body: { error: 'invalid_request', code: 'ERR_INVALID_REQUEST' },
      },
    });
  });
});

describe('the Bearer prefix check ahead of the full grammar', () => {
  // The verdicts as regular expressions (the reference): RFC 6750 §2.1 for a Bearer line, RFC
  // 7235 §2.1 `auth-scheme [ 1*SP … ]` for a line of another scheme (no token: 'none').
  const reference = (header: string) => {
    const line = header.trim();
    const token = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(line)?.[1];
    if (token !== undefined) return token;
    const other = /^([A-Za-z0-9!#$%&'*+\-.^_`|~]+)(?: |$)/.exec(line)?.[1];
    return other !== undefined && other.toLowerCase() !== 'bearer' ? 'none' : 'refused';
  };
  const viaCore = (header: string) => {
    try {
      return builtInToken({ header: () => header }, {}) ?? 'none';
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      return 'refused';
    }
  };
  it('gives the grammar verdict for every spelling', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
    const headers = [
      `Bearer ${token}`,
      `bearer ${token}`,
      `BEARER ${token}`,
      `BeArEr ${token}`,
      `Bearer    ${token}`,
      `  Bearer ${token}  `,
      `Bearer\t${token}`,
      `Bearer \t${token}`,
      `Bearer ${token} extra`,
      `Bearer ${token}==`,
      `Bearer ${token}=a`,
      `Bearer ab~+/cd==`,
      `Bearer ${token}!`,
      `Bearer ${token}\u0141`,
      'Bearer ',
      'Bearer',
      'Bearer =',
      `Bearer${token}`,
      `Bearerx ${token}`,
      `Basic ${token}`,
      'Basic',
      `Basic\t${token}`,
      `Digest realm="r", nonce="n"`,
      `"Bearer ${token}"`,
      `Bearer ${token}, Bearer ${token}`,
    ];
    for (const header of headers) expect(viaCore(header), header).toBe(reference(header));
  });
});
