import { describe, expect, it } from 'vitest';
import { InvalidRequestError, MalformedTokenError } from './errors.js';
import { builtInToken, extractToken } from './extract.js';
import { request } from './test-support/tokens.js';

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

  it('refuses another scheme such as Basic with 400 invalid_request', async () => {
    const error = await refused(extractToken(request({ authorization: 'Basic dXNlcjpwYXNz' })));
    expect(error.message).toBe('The Authorization header must use the Bearer scheme');
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

describe('the Bearer prefix check ahead of the full grammar', () => {
  // The verdicts of the RFC 6750 §2.1 grammar as one regular expression (the reference).
  const reference = (header: string) =>
    /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header.trim())?.[1] ?? 'refused';
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
      `Bearer ${token}, Bearer ${token}`,
    ];
    for (const header of headers) expect(viaCore(header), header).toBe(reference(header));
  });
});
