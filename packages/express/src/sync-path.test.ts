import { foreignRejection } from '@tokengate/conformance';
import {
  type AuthInfo,
  createVerifier,
  InvalidSignatureError,
  MissingTokenError,
  type TokengateError,
  type Verifier,
} from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import type { ErrorRequestHandler, Express, NextFunction, RequestHandler } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jwtAuth } from './index.js';
import { expressVersions, listen } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

/** What had happened by the time `jwtAuth()`'s middleware returned to its caller. */
interface Probe {
  nextCalled: boolean;
  nextError: unknown;
  /** `req.auth` as the next middleware saw it. */
  auth: AuthInfo | undefined;
  answered: boolean;
}

/**
 * Call the middleware from a wrapper and record whether it had called `next` or answered
 * before returning: the proof that no promise turn was taken.
 */
function probed(middleware: RequestHandler, probes: Probe[], wrapNext?: NextFunction) {
  const wrapper: RequestHandler = (req, res, next) => {
    const probe: Probe = {
      nextCalled: false,
      nextError: undefined,
      auth: undefined,
      answered: false,
    };
    middleware(req, res, (error?: unknown) => {
      probe.nextCalled = true;
      probe.nextError = error;
      probe.auth = req.auth;
      (wrapNext ?? next)(error);
    });
    // A copy: a `next` that runs later must not change what was seen on return.
    probes.push({ ...probe, answered: res.headersSent });
  };
  return wrapper;
}

/** A verifier of the application's own making (a test double): only `authenticate`. */
function handMade(): Pick<Verifier<unknown>, 'authenticate'> {
  const real = createVerifier<unknown>(options);
  return { authenticate: vi.fn((request, opts) => real.authenticate(request, opts)) };
}

describe.each(expressVersions)('jwtAuth on the synchronous path, Express $major', ({ express }) => {
  let close: (() => Promise<void>) | undefined;
  const probes: Probe[] = [];
  const seen: unknown[] = [];
  const ran: string[] = [];

  afterEach(async () => {
    await close?.();
    close = undefined;
    probes.length = 0;
    seen.length = 0;
    ran.length = 0;
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    seen.push(err);
    res.status(418).json({ from: 'app' });
  };

  async function serve(auth: RequestHandler, handler?: RequestHandler): Promise<string> {
    const app: Express = express();
    app.get(
      '/me',
      auth,
      handler ??
        ((req, res) => {
          ran.push('handler');
          res.json({ sub: req.auth?.claims.sub ?? null });
        }),
    );
    app.use(onError);
    const server = await listen(app);
    close = server.close;
    return `${server.baseUrl}/me`;
  }

  it('calls next with req.auth set before the middleware returns for a valid token', async () => {
    const url = await serve(probed(jwtAuth(options), probes));
    const token = await mint();
    const res = await fetch(url, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(probes).toHaveLength(1);
    expect(probes[0]).toMatchObject({ nextCalled: true, nextError: undefined });
    expect(probes[0]?.auth).toMatchObject({ token, claims: { sub: 'user-1' } });
    expect(ran).toEqual(['handler']);
  });

  it('answers a forged token with 401 before the middleware returns', async () => {
    const url = await serve(probed(jwtAuth(options), probes));
    const res = await fetch(url, { headers: bearer(await mint({}, { key: 'stranger' })) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token signature is invalid"',
    );
    expect(await res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(probes).toEqual([
      { nextCalled: false, nextError: undefined, auth: undefined, answered: true },
    ]);
    expect(ran).toEqual([]);
  });

  it('hands a missing token to next(err) before returning with passErrors', async () => {
    const url = await serve(probed(jwtAuth({ ...options, passErrors: true }), probes));
    const res = await fetch(url);
    expect(res.status).toBe(418);
    expect(probes[0]?.nextCalled).toBe(true);
    expect(probes[0]?.nextError).toBeInstanceOf(MissingTokenError);
    expect((probes[0]?.nextError as TokengateError).wwwAuthenticate).toBe('Bearer realm="api"');
    expect(seen).toEqual([probes[0]?.nextError]);
    expect(ran).toEqual([]);
  });

  it("lets a request without a token through before returning with optional: 'allow-missing'", async () => {
    const url = await serve(probed(jwtAuth({ ...options, optional: 'allow-missing' }), probes));
    const res = await fetch(url);
    expect(await res.json()).toEqual({ sub: null });
    expect(probes).toEqual([
      { nextCalled: true, nextError: undefined, auth: undefined, answered: true },
    ]);
  });

  it('hands a synchronous non-tokengate failure of the verifier to next(err)', async () => {
    const bug = new RangeError('a bug in a custom verifier');
    const verifier = {
      authenticate: () => {
        throw bug;
      },
    } as unknown as Verifier<unknown>;
    const url = await serve(jwtAuth(verifier));
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(418);
    expect(seen).toEqual([bug]);
    expect(ran).toEqual([]);
  });

  it('waits for a thenable that is not a native promise instead of taking it for claims', async () => {
    const refused = new InvalidSignatureError();
    const verifier = {
      authenticate: () => foreignRejection(refused),
    } as unknown as Verifier<unknown>;
    const url = await serve(jwtAuth(verifier));
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(ran).toEqual([]);
  });

  it("drives a verifier of the application's own making through its authenticate()", async () => {
    const verifier = handMade();
    const url = await serve(probed(jwtAuth(verifier as Verifier<unknown>), probes));
    const ok = await fetch(url, { headers: bearer(await mint()) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: 'user-1' });
    const denied = await fetch(url);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(verifier.authenticate).toHaveBeenCalledTimes(2);
    // Through the promise: nothing had happened yet when the middleware returned.
    expect(probes.map((p) => [p.nextCalled, p.answered])).toEqual([
      [false, false],
      [false, false],
    ]);
    expect(ran).toEqual(['handler']);
  });

  it("leaves what the handler throws to the app's error handler, not a 401", async () => {
    const thrown = new MissingTokenError();
    const url = await serve(jwtAuth(options), () => {
      ran.push('handler');
      throw thrown;
    });
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ from: 'app' });
    expect(seen).toEqual([thrown]);
    expect(ran).toEqual(['handler']);
  });

  it('does not answer what next() itself throws as an auth failure', async () => {
    const thrown = new MissingTokenError();
    const throwing: NextFunction = () => {
      throw thrown;
    };
    const url = await serve(probed(jwtAuth(options), probes, throwing));
    const res = await fetch(url, { headers: bearer(await mint()) });
    // The throw left the middleware, so Express's layer handed it to the app's error handler.
    expect(res.status).toBe(418);
    expect(seen).toEqual([thrown]);
    expect(ran).toEqual([]);
  });
});
