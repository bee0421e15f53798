import { MCP_FIXTURE } from '@tokengate/conformance';
import { bearer } from '@tokengate/testing/mint';
import Fastify, { type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokengate, toMcpAuthInfo } from './index.js';

const { METADATA, minter, options, TOOLS, call } = MCP_FIXTURE;

const app = Fastify();
let ran = 0;

beforeAll(async () => {
  await app.register(tokengate, options);
  const handler = async (request: FastifyRequest) => {
    ran++;
    return {
      authInfo: request.auth ? toMcpAuthInfo(request.auth) : null,
      body: request.body ?? null,
    };
  };
  const route = { onRequest: app.authenticate, preHandler: app.requireToolScopes(TOOLS) };
  app.post('/mcp', route, handler);
  app.get('/mcp', route, handler);
  app.post('/misconfigured', { preHandler: app.requireToolScopes(TOOLS) }, handler);
  await app.ready();
});

afterAll(() => app.close());

async function post(payload: unknown, scope?: string, url = '/mcp') {
  const auth = scope === undefined ? {} : bearer(await minter.mint({ scope, client_id: 'app' }));
  return app.inject({
    method: 'POST',
    url,
    headers: { ...auth, 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('app.requireToolScopes() on Fastify', () => {
  it("lets a call through with the tool's scopes, the handler reading the SDK's authInfo", async () => {
    const before = ran;
    const res = await post(call('write_note'), 'notes:read notes:write');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      authInfo: { clientId: 'app', scopes: ['notes:read', 'notes:write'] },
      body: call('write_note'),
    });
    expect(ran).toBe(before + 1);
  });

  it('refuses 403 insufficient_scope naming the scopes, with the resource metadata', async () => {
    const before = ran;
    const res = await post(call('write_note'), 'notes:read');
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(res.headers['www-authenticate']).toContain('scope="notes:read notes:write"');
    expect(res.headers['www-authenticate']).toContain(`resource_metadata="${METADATA}"`);
    const batch = await post([call('read_note'), call('write_note', 2)], 'other');
    expect(batch.statusCode).toBe(403);
    expect(batch.headers['www-authenticate']).toContain('scope="notes:read notes:write"');
    expect(ran).toBe(before);
  });

  it('lets through unlisted tools, other methods and GET', async () => {
    expect((await post(call('other_tool'), 'x')).statusCode).toBe(200);
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    expect((await post(list, 'x')).statusCode).toBe(200);
    const get = await app.inject({
      method: 'GET',
      url: '/mcp',
      headers: bearer(await minter.mint({ scope: 'x' })),
    });
    expect(get.statusCode).toBe(200);
  });

  it('refuses a body that is not JSON-RPC 2.0 with 400 invalid_request', async () => {
    for (const body of [[], {}, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} }, 5]) {
      const res = await post(body, 'notes:read notes:write');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('answers 500 where no authentication ran, and 401 without a token', async () => {
    const misconfigured = await post(call('read_note'), 'notes:read', '/misconfigured');
    expect(misconfigured.statusCode).toBe(500);
    const anonymous = await post(call('read_note'));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain(`resource_metadata="${METADATA}"`);
  });

  it('refuses a tool-scope map that is not one at registration with a TypeError', () => {
    expect(() => app.requireToolScopes({ read_note: [] } as never)).toThrow(TypeError);
    expect(() => app.requireToolScopes(5 as never)).toThrow(TypeError);
  });
});
