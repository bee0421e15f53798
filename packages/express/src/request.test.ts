import cookieParser from 'cookie-parser';
import type { Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { toTokenRequest } from './index.js';
import { expressVersions, listen, rawGet } from './test-support/http.js';

describe.each(expressVersions)('toTokenRequest on Express $major', ({ express }) => {
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  // Echo what the view reports so the test sees it exactly as core would.
  async function serve(withCookieParser = false) {
    const app: Express = express();
    if (withCookieParser) app.use(cookieParser());
    const router = express.Router();
    router.get('/view', (req, res) => {
      const view = toTokenRequest(req);
      res.json({
        authorization: view.header('Authorization') ?? null,
        missing: view.header('x-missing') ?? null,
        cookie: view.cookie?.('session') ?? null,
        other: view.cookie?.('toString') ?? null,
        query: view.query?.('access_token') ?? null,
      });
    });
    app.use('/mounted', router);
    const server = await listen(app);
    close = server.close;
    return `${server.baseUrl}/mounted/view`;
  }

  it('returns every value of a repeated header from the raw headers', async () => {
    const url = await serve();
    const res = await rawGet(url, { Authorization: ['Bearer a', 'Bearer b'] });
    expect(JSON.parse(res.body)).toMatchObject({ authorization: ['Bearer a', 'Bearer b'] });
  });

  it('returns a single header value as a string and an absent one as undefined', async () => {
    const url = await serve();
    const res = await fetch(url, { headers: { authorization: 'Bearer a' } });
    expect(await res.json()).toMatchObject({ authorization: 'Bearer a', missing: null });
  });

  it('reads a cookie from the Cookie header without cookie-parser', async () => {
    const url = await serve();
    const res = await fetch(url, { headers: { cookie: 'a=1; session=tok%2Ben; b=2' } });
    expect(await res.json()).toMatchObject({ cookie: 'tok+en', other: null });
  });

  it('reads a cookie from req.cookies when cookie-parser ran', async () => {
    const url = await serve(true);
    const res = await fetch(url, { headers: { cookie: 'session=from-parser' } });
    expect(await res.json()).toMatchObject({ cookie: 'from-parser' });
  });

  it('ignores a cookie that cookie-parser turned into an object', async () => {
    const url = await serve(true);
    const res = await fetch(url, {
      headers: { cookie: `session=${encodeURIComponent('j:{"a":1}')}` },
    });
    expect(await res.json()).toMatchObject({ cookie: null });
  });

  it('reads query values from the original URL under a mounted router', async () => {
    const url = await serve();
    const one = await fetch(`${url}?access_token=abc`);
    expect(await one.json()).toMatchObject({ query: 'abc' });
    const two = await fetch(`${url}?access_token=a&access_token=b`);
    expect(await two.json()).toMatchObject({ query: ['a', 'b'] });
    const none = await fetch(`${url}?other=1`);
    expect(await none.json()).toMatchObject({ query: null });
  });

  it('answers with no cookie and no query when the request has neither', async () => {
    const url = await serve();
    const res = await fetch(url);
    expect(await res.json()).toEqual({
      authorization: null,
      missing: null,
      cookie: null,
      other: null,
      query: null,
    });
  });
});
