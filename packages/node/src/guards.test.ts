import type { RequestListener } from 'node:http';
import { bearer } from '@tokengate/testing/mint';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuthHandler, jwtAuth, requireClaims, requireScopes } from './index.js';
import { json, listen } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

let close: (() => Promise<void>) | undefined;
let ran = 0;

afterEach(async () => {
  await close?.();
  close = undefined;
  ran = 0;
});

const handler: AuthHandler = (_req, res, auth) => {
  ran++;
  json(res, { sub: auth?.claims.sub ?? null });
};

async function serve(listener: RequestListener): Promise<string> {
  const server = await listen(listener);
  close = server.close;
  return `${server.baseUrl}/r`;
}

describe('route guards inside jwtAuth()', () => {
  it('hands the guarded handler the token jwtAuth() verified', async () => {
    const url = await serve(jwtAuth(options)(requireScopes(['read', 'write'])(handler)));
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read write extra' })) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(ran).toBe(1);
  });

  it('answers a missing scope with 403 insufficient_scope naming the required scopes', async () => {
    const url = await serve(jwtAuth(options)(requireScopes(['read', 'write'])(handler)));
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The token lacks the required scope", scope="read write"',
    );
    expect(await res.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The token lacks the required scope',
      code: 'ERR_INSUFFICIENT_SCOPE',
    });
    expect(ran).toBe(0);
  });

  it('answers 401 when optional authentication let a request through without a token', async () => {
    const url = await serve(
      jwtAuth(options, { optional: 'allow-missing' })(requireClaims({ org: 'acme' })(handler)),
    );
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(ran).toBe(0);
  });

  it('answers a claim mismatch with 401 invalid_token naming the claim', async () => {
    const url = await serve(jwtAuth(options)(requireClaims({ org: 'acme' })(handler)));
    expect((await fetch(url, { headers: bearer(await mint({ org: 'acme' })) })).status).toBe(200);
    const res = await fetch(url, { headers: bearer(await mint({ org: 'evil' })) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The \\"org\\" claim is invalid"',
    );
    expect(await res.json()).toMatchObject({ code: 'ERR_CLAIM_INVALID' });
    expect(ran).toBe(1);
  });

  it("answers through the surrounding jwtAuth()'s onRefusal and onError", async () => {
    const onError = vi.fn();
    const bug = new RangeError('predicate bug');
    const protect = jwtAuth(options, {
      onError,
      onRefusal: ({ status, error }, _req, res) => res.writeHead(status).end(error.code),
    });
    const throwing = requireClaims({
      org: () => {
        throw bug;
      },
    });
    const url = await serve((req, res) =>
      (req.headers['x-case'] === 'bug'
        ? protect(throwing(handler))
        : protect(requireScopes('admin')(handler)))(req, res),
    );
    const refused = await fetch(url, { headers: bearer(await mint({ scope: 'read' })) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('ERR_INSUFFICIENT_SCOPE');
    const failed = await fetch(url, { headers: { ...bearer(await mint()), 'x-case': 'bug' } });
    expect(failed.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(bug, expect.anything());
    expect(ran).toBe(0);
  });

  it('refuses with 500 where no jwtAuth() ran, whatever the token', async () => {
    const url = await serve(requireScopes('read')(handler));
    const res = await fetch(url, { headers: bearer(await mint({ scope: 'read' })) });
    expect(res.status).toBe(500);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({
      error: 'server_error',
      error_description: 'Authentication is not configured for this route',
      code: 'ERR_AUTHENTICATION_NOT_RUN',
    });
    expect(ran).toBe(0);
  });
});

describe('route guard options', () => {
  it('throws TypeError for no scopes, a scope with a space or an unknown mode', () => {
    expect(() => requireScopes([])).toThrow(TypeError);
    expect(() => requireScopes('read write')).toThrow(TypeError);
    expect(() => requireScopes('read', 'most' as never)).toThrow(TypeError);
  });

  it('throws TypeError for an empty or malformed claims requirement', () => {
    expect(() => requireClaims({})).toThrow(TypeError);
    expect(() => requireClaims(null as never)).toThrow(TypeError);
    expect(() => requireClaims({ org: null as never })).toThrow(TypeError);
  });

  it('throws TypeError for a handler that is not a function', () => {
    expect(() => requireScopes('read')('handler' as never)).toThrow(
      'requireScopes(): the handler must be a function',
    );
    expect(() => requireClaims({ org: 'acme' })(undefined as never)).toThrow(TypeError);
  });
});
