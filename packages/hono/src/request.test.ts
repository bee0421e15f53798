import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { toTokenRequest } from './index.js';

// What `toTokenRequest(c).header(name)` answers, for a request with these Fetch headers and,
// as under @hono/node-server, these raw header lines in `c.env.incoming.rawHeaders`.
async function header(
  name: string,
  init: { headers?: HeadersInit; rawHeaders?: unknown[] } = {},
): Promise<unknown> {
  const app = new Hono();
  app.get('/', (c) => c.json({ value: toTokenRequest(c).header(name) ?? 'absent' }));
  const env = init.rawHeaders ? { incoming: { rawHeaders: init.rawHeaders } } : undefined;
  const res = await app.request('/', { headers: init.headers }, env);
  return ((await res.json()) as { value: unknown }).value;
}

describe('toTokenRequest(c).header("authorization")', () => {
  it('gives the one raw line itself, whatever the spelling of its name', async () => {
    for (const name of ['Authorization', 'authorization', 'AUTHORIZATION', 'AuThOrIzAtIoN']) {
      const rawHeaders = ['Host', 'x', 'Cache-Control', 'no-cache', name, 'Bearer a.b.c'];
      expect(await header('authorization', { rawHeaders })).toBe('Bearer a.b.c');
    }
  });

  it('answers any spelling of the name asked for', async () => {
    const rawHeaders = ['Authorization', 'Bearer a.b.c'];
    expect(await header('Authorization', { rawHeaders })).toBe('Bearer a.b.c');
  });

  it('prefers the raw lines over the Fetch headers (Node keeps only the first of two)', async () => {
    const rawHeaders = ['Authorization', 'Bearer one', 'authorization', 'Bearer two'];
    expect(
      await header('authorization', { rawHeaders, headers: { Authorization: 'Bearer x' } }),
    ).toEqual(['Bearer one', 'Bearer two']);
  });

  it('splits a raw line with a comma into its credentials', async () => {
    const rawHeaders = ['Authorization', 'Bearer one, Bearer two'];
    expect(await header('authorization', { rawHeaders })).toEqual(['Bearer one', 'Bearer two']);
  });

  it('splits every raw line when there are two and one has a comma', async () => {
    const rawHeaders = ['Authorization', 'Bearer one,x', 'Authorization', 'Bearer two'];
    expect(await header('authorization', { rawHeaders })).toEqual([
      'Bearer one',
      'x',
      'Bearer two',
    ]);
  });

  it('gives an empty raw line as it is', async () => {
    expect(await header('authorization', { rawHeaders: ['Authorization', ''] })).toBe('');
  });

  it('skips raw entries that are not strings and falls back to the Fetch headers', async () => {
    const rawHeaders = ['Authorization', 42, 7, 'Bearer nope', 'Authorization'];
    const headers = { Authorization: 'Bearer from-headers' };
    expect(await header('authorization', { rawHeaders, headers })).toBe('Bearer from-headers');
  });

  it('reads the Fetch headers when the raw lines carry no Authorization', async () => {
    const rawHeaders = ['Host', 'x'];
    const headers = { Authorization: 'Bearer from-headers' };
    expect(await header('authorization', { rawHeaders, headers })).toBe('Bearer from-headers');
  });

  it('splits Fetch headers joined with a comma (two Authorization headers)', async () => {
    const headers = new Headers();
    headers.append('Authorization', 'Bearer one');
    headers.append('Authorization', 'Bearer two');
    expect(await header('authorization', { headers })).toEqual(['Bearer one', 'Bearer two']);
  });

  it('is undefined when the request has no Authorization at all', async () => {
    expect(await header('authorization', { rawHeaders: ['Host', 'x'] })).toBe('absent');
    expect(await header('authorization')).toBe('absent');
  });
});

describe('toTokenRequest(c).header(other)', () => {
  it('reads other headers from the Fetch headers, by any spelling', async () => {
    const headers = { 'X-Token': 'abc' };
    expect(await header('X-Token', { headers })).toBe('abc');
    expect(await header('x-token', { headers })).toBe('abc');
  });
});

describe('toTokenRequest(c)', () => {
  async function view(path: string, init?: RequestInit) {
    const app = new Hono();
    app.all('*', (c) => {
      const v = toTokenRequest(c);
      return c.json({
        method: v.method,
        url: v.url,
        one: v.query?.('one') ?? 'absent',
        many: v.query?.('many') ?? 'absent',
        cookie: v.cookie?.('at') ?? 'absent',
      });
    });
    return (await app.request(path, init)).json();
  }

  it('gives the method and the request target: path and query, without the origin', async () => {
    expect(await view('http://api.test:8080/a/b?x=1&y=%20', { method: 'POST' })).toMatchObject({
      method: 'POST',
      url: '/a/b?x=1&y=%20',
    });
    expect(await view('/')).toMatchObject({ method: 'GET', url: '/' });
  });

  it('reads one query value as a string and repeated ones as a list', async () => {
    expect(await view('/p?one=a&many=b&many=c')).toMatchObject({ one: 'a', many: ['b', 'c'] });
    expect(await view('/p')).toMatchObject({ one: 'absent', many: 'absent' });
  });

  it('reads a cookie by name', async () => {
    expect(await view('/p', { headers: { Cookie: 'x=1; at=tok' } })).toMatchObject({
      cookie: 'tok',
    });
    expect(await view('/p')).toMatchObject({ cookie: 'absent' });
  });
});

describe('toTokenRequest(c): DPoP and the connection', () => {
  // What the view reports for a request with these Fetch headers and this `c.env`.
  async function facts(init: RequestInit, env?: unknown) {
    const app = new Hono();
    app.get('/', (c) => {
      const v = toTokenRequest(c);
      const certificate = v.peerCertificate?.();
      return c.json({
        dpop: v.header('DPoP') ?? 'absent',
        forwarded: v.header('x-forwarded-host') ?? 'absent',
        address: v.remoteAddress?.() ?? 'none',
        certificate: certificate ? [...certificate] : 'none',
      });
    });
    return (await app.request('/', init, env)).json();
  }

  it('splits a DPoP value the Fetch Headers joined into its lines (a proof has no comma)', async () => {
    expect(
      await facts({
        headers: [
          ['DPoP', 'a.b.c'],
          ['DPoP', 'd.e.f'],
        ],
      }),
    ).toMatchObject({
      dpop: ['a.b.c', 'd.e.f'],
    });
    expect(await facts({ headers: { DPoP: 'a.b.c' } })).toMatchObject({ dpop: 'a.b.c' });
  });

  it('reads every header from the raw Node lines where there are some', async () => {
    const incoming = { rawHeaders: ['X-Forwarded-Host', 'one', 'x-forwarded-host', 'two'] };
    expect(await facts({}, { incoming })).toMatchObject({ forwarded: ['one', 'two'] });
  });

  it('has no peer address and no certificate without a Node socket (Workers)', async () => {
    expect(await facts({})).toMatchObject({ address: 'none', certificate: 'none' });
  });

  it("gives the Node socket's peer address and TLS client certificate", async () => {
    const socket = {
      remoteAddress: '::ffff:127.0.0.1',
      getPeerCertificate: () => ({ raw: new Uint8Array([48, 3, 1, 2, 3]) }),
    };
    expect(await facts({}, { incoming: { rawHeaders: [], socket } })).toMatchObject({
      address: '::ffff:127.0.0.1',
      certificate: [48, 3, 1, 2, 3],
    });
  });

  it('has no certificate when the TLS client sent none', async () => {
    for (const getPeerCertificate of [() => ({}), () => null]) {
      const socket = { remoteAddress: '127.0.0.1', getPeerCertificate };
      expect(await facts({}, { incoming: { rawHeaders: [], socket } })).toMatchObject({
        certificate: 'none',
      });
    }
  });
});
