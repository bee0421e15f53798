import type { IncomingMessage } from 'node:http';
import { MCP_FIXTURE } from '@tokengate/conformance';
import type { AuthInfo, McpAuthInfo } from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtAuth } from './index.js';
import { handleMcpRequest, type McpHttpTransport, requireToolScopes } from './mcp.js';
import { expressVersions, listen } from './test-support/http.js';

const { RESOURCE, METADATA, minter, options, TOOLS, call } = MCP_FIXTURE;

describe.each(expressVersions)('requireToolScopes() on Express $major', ({ express }) => {
  let close: (() => Promise<void>) | undefined;
  let ran = 0;

  afterEach(async () => {
    await close?.();
    close = undefined;
    ran = 0;
  });

  async function serve(chain: RequestHandler[], onError?: ErrorRequestHandler) {
    const app: Express = express();
    app.all('/mcp', ...chain, (_req, res) => {
      ran++;
      res.json({ ok: true });
    });
    if (onError) app.use(onError);
    const server = await listen(app);
    close = server.close;
    return `${server.baseUrl}/mcp`;
  }
  const standard = () => [jwtAuth(options), express.json(), requireToolScopes(TOOLS)];

  async function post(url: string, body: unknown, scope?: string) {
    const headers =
      scope === undefined ? {} : bearer(await minter.mint({ scope, client_id: 'app' }));
    return fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it("lets a call through when the token has the tool's scopes", async () => {
    const url = await serve(standard());
    expect((await post(url, call('read_note'), 'notes:read')).status).toBe(200);
    expect((await post(url, call('write_note'), 'notes:read notes:write')).status).toBe(200);
    expect(ran).toBe(2);
  });

  it('refuses 403 insufficient_scope naming every scope of the tool, with the resource metadata', async () => {
    const url = await serve(standard());
    const res = await post(url, call('write_note'), 'notes:read');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="notes:read notes:write", resource_metadata="${METADATA}"`,
    );
    expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
    expect(ran).toBe(0);
  });

  it('names every scope a batch needs', async () => {
    const url = await serve(standard());
    const res = await post(url, [call('read_note', 1), call('write_note', 2)], 'other');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="notes:read notes:write"');
  });

  it('lets through messages that call no tool, and tools missing from the map', async () => {
    const url = await serve(standard());
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    expect((await post(url, list, '')).status).toBe(200);
    expect((await post(url, call('unlisted'), '')).status).toBe(200);
    expect((await post(url, [list, call('unlisted', 2)], '')).status).toBe(200);
    expect(ran).toBe(3);
  });

  it('lets GET and DELETE through (no JSON-RPC body), after authentication', async () => {
    const url = await serve(standard());
    const headers = bearer(await minter.mint({}));
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(url, { method: 'DELETE', headers })).status).toBe(200);
    expect((await fetch(url)).status).toBe(401);
    expect(ran).toBe(2);
  });

  it.each([
    ['an empty batch', []],
    ['a batch holding a number', [call('read_note'), 3]],
    ['a tools/call without a tool name', call(7)],
  ])('refuses %s with 400 invalid_request', async (_name, body) => {
    const url = await serve(standard());
    const res = await post(url, body, 'notes:read');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_request',
      code: 'ERR_INVALID_REQUEST',
    });
    expect(ran).toBe(0);
  });

  it('refuses a POST whose body was not parsed as JSON (never lets an unchecked call through)', async () => {
    const url = await serve(standard());
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...bearer(await minter.mint({ scope: '' })), 'content-type': 'text/plain' },
      body: JSON.stringify(call('write_note')),
    });
    expect(res.status).toBe(400);
    // Express 5 leaves no body, Express 4 an empty object: neither is a JSON-RPC message.
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    expect(ran).toBe(0);
  });

  it('answers an anonymous call of a scoped tool 401 with the scope, under optional auth', async () => {
    const url = await serve([
      jwtAuth(options, { optional: 'allow-missing' }),
      express.json(),
      requireToolScopes(TOOLS),
    ]);
    const res = await post(url, call('read_note'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", scope="notes:read", resource_metadata="${METADATA}"`,
    );
    expect((await post(url, call('unlisted'))).status).toBe(200);
  });

  it('refuses 500 where no jwtAuth() ran', async () => {
    const url = await serve([express.json(), requireToolScopes(TOOLS)]);
    const res = await post(url, call('read_note'), 'notes:read');
    expect(res.status).toBe(500);
    expect(ran).toBe(0);
  });

  it('hands the error to next(err) with passErrors', async () => {
    const seen: unknown[] = [];
    const url = await serve(
      [jwtAuth(options, { passErrors: true }), express.json(), requireToolScopes(TOOLS)],
      (error, _req, res, _next) => {
        seen.push(error);
        res.status(418).end();
      },
    );
    expect((await post(url, call('write_note'), 'notes:read')).status).toBe(418);
    expect((await post(url, [], 'notes:read')).status).toBe(418);
    expect(seen).toMatchObject([
      { code: 'ERR_INSUFFICIENT_SCOPE' },
      { code: 'ERR_INVALID_REQUEST' },
    ]);
  });
});

describe('requireToolScopes() misuse', () => {
  it.each([
    [null, 'requireToolScopes(): the tool scopes must be an object mapping tool names to scopes'],
    [{ t: '' }, 'requireToolScopes(): tool "t": "" is not a valid scope token'],
    [{ t: 1 }, 'requireToolScopes(): tool "t": the scopes must be a string or an array'],
  ])('throws a TypeError for %o', (map, message) => {
    expect(() => requireToolScopes(map as never)).toThrow(new TypeError(message));
  });
});

describe.each(expressVersions)('handleMcpRequest() on Express $major', ({ express }) => {
  it("gives the transport the SDK's AuthInfo on req.auth, then restores tokengate's", async () => {
    const seen: { auth?: McpAuthInfo; body?: unknown }[] = [];
    const transport: McpHttpTransport = {
      async handleRequest(req: IncomingMessage & { auth?: McpAuthInfo }, res, body) {
        seen.push({ auth: req.auth, body });
        await new Promise((resolve) => setImmediate(resolve));
        res.end('done');
      },
    };
    const app: Express = express();
    let after: AuthInfo | undefined;
    app.post('/mcp', jwtAuth(options), express.json(), async (req, res, next) => {
      await handleMcpRequest(transport, req, res);
      after = req.auth;
      next();
    });
    const server = await listen(app);
    try {
      const token = await minter.mint({ scope: 'notes:read', client_id: 'app' });
      const res = await fetch(`${server.baseUrl}/mcp`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify(call('read_note')),
      });
      expect(await res.text()).toBe('done');
      expect(seen).toHaveLength(1);
      expect(seen[0]?.body).toEqual(call('read_note'));
      expect(seen[0]?.auth).toMatchObject({
        token,
        clientId: 'app',
        scopes: ['notes:read'],
        resource: new URL(RESOURCE),
        extra: { sub: 'alice' },
      });
      expect(typeof seen[0]?.auth?.expiresAt).toBe('number');
      expect(after?.token).toBe(token);
      expect([...(after?.scopes ?? [])]).toEqual(['notes:read']);
    } finally {
      await server.close();
    }
  });
});
