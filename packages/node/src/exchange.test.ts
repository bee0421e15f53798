import type { IncomingMessage, ServerResponse } from 'node:http';
import { rawRequest } from '@tokengate/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWERS, NodeExchange } from './exchange.js';
import { json, listen } from './test-support/http.js';

const nothing = () => undefined;

describe('the request view of a Node request', () => {
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  // Echo what the view reports so the test sees it exactly as core would.
  async function serve(): Promise<string> {
    const server = await listen((req, res) => {
      const view = new NodeExchange(req, res, nothing, DEFAULT_ANSWERS);
      json(res, {
        method: view.method,
        url: view.url,
        authorization: view.header('Authorization') ?? null,
        missing: view.header('x-missing') ?? null,
        cookie: view.cookie('session') ?? null,
        inherited: view.cookie('toString') ?? null,
        query: view.query('access_token') ?? null,
        certificate: view.peerCertificate() ?? null,
      });
    });
    close = server.close;
    return server.baseUrl;
  }

  it('returns every value of a repeated header from the raw headers', async () => {
    const base = await serve();
    const res = await rawRequest(`${base}/v`, [
      ['Authorization', 'Bearer a'],
      ['Authorization', 'Bearer b'],
    ]);
    expect(JSON.parse(res.text)).toMatchObject({ authorization: ['Bearer a', 'Bearer b'] });
  });

  it('reads a cookie from the Cookie header, and no inherited property as one', async () => {
    const base = await serve();
    const res = await fetch(`${base}/v`, { headers: { cookie: 'a=1; session=tok%2Ben; b=2' } });
    expect(await res.json()).toMatchObject({ cookie: 'tok+en', inherited: null });
  });

  it('reads one or several query values after the first "?"', async () => {
    const base = await serve();
    const one = await fetch(`${base}/v?access_token=abc`);
    expect(await one.json()).toMatchObject({ url: '/v?access_token=abc', query: 'abc' });
    const two = await fetch(`${base}/v?access_token=a&x=?&access_token=b`);
    expect(await two.json()).toMatchObject({ query: ['a', 'b'] });
  });

  it('answers with nothing a plain request does not carry', async () => {
    const base = await serve();
    const res = await fetch(`${base}/v`, { method: 'DELETE' });
    expect(await res.json()).toEqual({
      method: 'DELETE',
      url: '/v',
      authorization: null,
      missing: null,
      cookie: null,
      inherited: null,
      query: null,
      certificate: null,
    });
  });

  it('returns the DER client certificate of a TLS socket that has one', () => {
    const der = Buffer.from([0x30, 0x82]);
    const over = (socket: object) =>
      new NodeExchange(
        { socket } as IncomingMessage,
        {} as ServerResponse,
        nothing,
        DEFAULT_ANSWERS,
      ).peerCertificate();
    expect(over({ getPeerCertificate: () => ({ raw: der }) })).toBe(der);
    expect(over({ getPeerCertificate: () => ({}) })).toBeUndefined();
    expect(over({ getPeerCertificate: () => null })).toBeUndefined();
  });
});
