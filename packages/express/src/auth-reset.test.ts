import type { AuthInfo } from '@tokengate/core';
import { bearer, createSecretMinter } from '@tokengate/testing/mint';
import type { Express, RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtAuth, requireClaims, requireScopes } from './index.js';
import { expressVersions, listen } from './test-support/http.js';

const minter = createSecretMinter({ subject: 'user-1' });
const options = { ...minter.verifierOptions(), realm: 'api' };

/** An earlier middleware that puts an unverified `req.auth` with every privilege on it. */
const plant: RequestHandler = (req, _res, next) => {
  req.auth = {
    token: 'planted',
    header: { alg: 'HS256' },
    claims: { sub: 'mallory', org: 'acme' },
    scopes: new Set(['admin']),
  } as unknown as AuthInfo;
  next();
};

describe.each(expressVersions)('req.auth set before jwtAuth() on Express $major', ({ express }) => {
  let close: (() => Promise<void>) | undefined;
  const ran: string[] = [];

  afterEach(async () => {
    await close?.();
    close = undefined;
    ran.length = 0;
  });

  async function serve(chain: RequestHandler[]): Promise<string> {
    const app: Express = express();
    app.get('/r', plant, ...chain, (req, res) => {
      ran.push('handler');
      res.json({ sub: req.auth?.claims.sub ?? null });
    });
    const server = await listen(app);
    close = server.close;
    return `${server.baseUrl}/r`;
  }

  const forged = () => minter.mint({ sub: 'mallory', scope: 'admin' }, { key: 'stranger' });

  it("refuses a forged token that 'allow-invalid' let through at requireScopes() with 401", async () => {
    const url = await serve([
      jwtAuth(options, { optional: 'allow-invalid' }),
      requireScopes('admin'),
    ]);
    const res = await fetch(url, { headers: bearer(await forged()) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(ran).toEqual([]);
  });

  it("refuses a forged token that 'allow-invalid' let through at requireClaims() with 401", async () => {
    const url = await serve([
      jwtAuth(options, { optional: 'allow-invalid' }),
      requireClaims({ org: 'acme' }),
    ]);
    const res = await fetch(url, { headers: bearer(await forged()) });
    expect(res.status).toBe(401);
    expect(ran).toEqual([]);
  });

  it("refuses a missing token that 'allow-missing' let through at requireScopes() with 401", async () => {
    const url = await serve([
      jwtAuth(options, { optional: 'allow-missing' }),
      requireScopes('admin'),
    ]);
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(ran).toEqual([]);
  });

  it('hands the handler no auth after an optional pass, and the verified token otherwise', async () => {
    const url = await serve([jwtAuth(options, { optional: 'allow-invalid' })]);
    const anonymous = await fetch(url, { headers: bearer(await forged()) });
    expect(await anonymous.json()).toEqual({ sub: null });
    const verified = await fetch(url, { headers: bearer(await minter.mint()) });
    expect(await verified.json()).toEqual({ sub: 'user-1' });
  });
});
