import { MCP_FIXTURE } from '@tokengate/conformance';
import { bearer } from '@tokengate/testing/mint';
import { type Context, Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { jwtAuth } from './index.js';
import { mcpAuthInfo, requireToolScopes } from './mcp.js';

const { RESOURCE, METADATA, minter, options, TOOLS, call } = MCP_FIXTURE;

function app() {
  const ran = vi.fn();
  const a = new Hono();
  const handler = async (c: Context) => {
    ran();
    const body = c.req.method === 'POST' ? await c.req.json() : undefined;
    return c.json({ authInfo: mcpAuthInfo(c) ?? null, body: body ?? null });
  };
  a.all('/mcp', jwtAuth(options), requireToolScopes(TOOLS), handler);
  a.post(
    '/optional',
    jwtAuth(options, { optional: 'allow-missing' }),
    requireToolScopes(TOOLS),
    handler,
  );
  a.post('/misconfigured', requireToolScopes(TOOLS), handler);
  return { app: a, ran };
}

async function post(a: Hono, body: unknown, scope?: string, path = '/mcp') {
  const headers = scope === undefined ? {} : bearer(await minter.mint({ scope, client_id: 'app' }));
  return a.request(path, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('requireToolScopes() on Hono', () => {
  it("lets a call through with the tool's scopes; the handler reads the same body and the SDK's authInfo", async () => {
    const { app: a, ran } = app();
    const res = await post(a, call('write_note'), 'notes:read notes:write');
    expect(res.status).toBe(200);
    const { authInfo, body } = (await res.json()) as Record<string, Record<string, unknown>>;
    expect(body).toEqual(call('write_note'));
    expect(authInfo).toMatchObject({
      clientId: 'app',
      scopes: ['notes:read', 'notes:write'],
      resource: RESOURCE,
      extra: { sub: 'alice' },
    });
    expect(ran).toHaveBeenCalledOnce();
  });

  it('refuses 403 insufficient_scope naming the scopes, with the resource metadata', async () => {
    const { app: a, ran } = app();
    const res = await post(a, call('write_note'), 'notes:read');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="notes:read notes:write", resource_metadata="${METADATA}"`,
    );
    const batch = await post(a, [call('read_note'), call('write_note', 2)], 'other');
    expect(batch.headers.get('www-authenticate')).toContain('scope="notes:read notes:write"');
    expect(ran).not.toHaveBeenCalled();
  });

  it('lets through calls of unlisted tools, other messages, GET and DELETE', async () => {
    const { app: a, ran } = app();
    expect((await post(a, call('unlisted'), '')).status).toBe(200);
    expect((await post(a, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, '')).status).toBe(200);
    const headers = bearer(await minter.mint({}));
    expect((await a.request('/mcp', { headers })).status).toBe(200);
    expect((await a.request('/mcp', { method: 'DELETE', headers })).status).toBe(200);
    expect(ran).toHaveBeenCalledTimes(4);
  });

  it.each([
    ['a body that is not JSON', '{"jsonrpc":', /not JSON/],
    ['an empty batch', [], /an empty batch/],
    ['a tools/call without a tool name', call(3), /params\.name/],
    ['an object that is no JSON-RPC message', {}, /not a JSON-RPC 2\.0 message/],
  ])('refuses %s with 400 invalid_request', async (_name, body, reason) => {
    const { app: a, ran } = app();
    const res = await post(a, body, 'notes:read');
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; error_description: string };
    expect(json.error).toBe('invalid_request');
    expect(json.error_description).toMatch(reason);
    expect(ran).not.toHaveBeenCalled();
  });

  it('answers an anonymous call of a scoped tool 401 with the scope under optional auth', async () => {
    const { app: a } = app();
    const res = await post(a, call('read_note'), undefined, '/optional');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", scope="notes:read", resource_metadata="${METADATA}"`,
    );
    const open = await post(a, call('unlisted'), undefined, '/optional');
    expect(open.status).toBe(200);
    expect(((await open.json()) as { authInfo: unknown }).authInfo).toBeNull();
  });

  it('refuses 500 where no jwtAuth ran', async () => {
    const { app: a, ran } = app();
    expect((await post(a, call('read_note'), 'notes:read', '/misconfigured')).status).toBe(500);
    expect(ran).not.toHaveBeenCalled();
  });

  it('throws a TypeError for a misused map', () => {
    expect(() => requireToolScopes({ t: 'a b' })).toThrow(
      new TypeError('requireToolScopes(): tool "t": "a b" is not a valid scope token'),
    );
  });
});
