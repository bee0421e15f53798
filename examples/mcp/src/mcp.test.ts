// The MCP SDK's own client against the example server, with a real authorization server
// (oidc-provider, resource indicators on) on 127.0.0.1: discovery from the 401, a token for
// this resource, tools called with the right scopes, and refusals for the wrong ones.

import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMcpServer, start } from './index.js';
import {
  type AuthorizationServer,
  OTHER_RESOURCE,
  READER,
  startAuthorizationServer,
  type TestClient,
  WRITER,
} from './test-support/authorization-server.js';

let as: AuthorizationServer;
let mcp: RunningMcpServer;
let metadataUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await start({ port: 0, authorizationServers: [as.issuer], typ: 'rfc9068' });
  as.allowResource(mcp.url);
  metadataUrl = `${new URL(mcp.url).origin}/.well-known/oauth-protected-resource/mcp`;
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await mcp?.close();
  await as?.close();
});

/** The SDK's client with its client-credentials provider; `requests` records every fetch. */
async function connect(client: TestClient) {
  const requests: string[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(mcp.url), {
    authProvider: new ClientCredentialsProvider({
      clientId: client.id,
      clientSecret: client.secret,
      scope: client.scope,
      expectedIssuer: as.issuer,
    }),
    fetch: (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return fetch(input, init);
    },
  });
  const sdkClient = new Client({ name: 'tokengate-test', version: '1.0.0' });
  clients.push(sdkClient);
  await sdkClient.connect(transport);
  return { client: sdkClient, requests };
}

function resultOf(result: Awaited<ReturnType<Client['callTool']>>): unknown {
  const [first] = result.content as { type: string; text: string }[];
  return JSON.parse(first?.text ?? 'null');
}

const toolCall = (name: unknown, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** A raw JSON-RPC POST to the MCP endpoint, as the SDK's transport sends it. */
function post(body: unknown, token?: string) {
  return fetch(mcp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the protected-resource metadata', () => {
  it('names this server as the resource, the authorization server and the tool scopes', async () => {
    const res = await fetch(metadataUrl);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: mcp.url,
      authorization_servers: [as.issuer],
      scopes_supported: ['notes:read', 'notes:write'],
      bearer_methods_supported: ['header'],
    });
  });

  it('is named by the 401 a request without a token gets', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", resource_metadata="${metadataUrl}"`,
    );
  });
});

describe('the SDK client', () => {
  it('discovers the metadata from the 401, gets a token for this resource and calls tools', async () => {
    const { client, requests } = await connect(WRITER);
    // The first POST was refused, the metadata fetched from the challenge's URL, then the
    // authorization server's metadata and token endpoint, then the POST again.
    expect(requests.slice(0, 2)).toEqual([`POST ${mcp.url}`, `GET ${metadataUrl}`]);
    expect(requests).toContain(`POST ${as.issuer}/token`);

    const added = resultOf(await client.callTool({ name: 'add_note', arguments: { text: 'hi' } }));
    expect(added).toEqual({ text: 'hi', clientId: WRITER.id, sub: WRITER.id });
    const listed = resultOf(await client.callTool({ name: 'list_notes', arguments: {} }));
    expect(listed).toContainEqual({ text: 'hi', clientId: WRITER.id, sub: WRITER.id });
  });

  it("hands tool handlers the SDK's AuthInfo of the verified token", async () => {
    const { client } = await connect(WRITER);
    const me = resultOf(await client.callTool({ name: 'whoami', arguments: {} })) as Record<
      string,
      unknown
    >;
    expect(me).toMatchObject({
      clientId: WRITER.id,
      sub: WRITER.id,
      resource: mcp.url,
    });
    expect([...(me.scopes as string[])].sort()).toEqual(['notes:read', 'notes:write']);
    expect(me.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('calls a tool its scope allows, and is refused 403 for a tool needing another scope', async () => {
    const { client } = await connect(READER);
    expect(resultOf(await client.callTool({ name: 'list_notes', arguments: {} }))).toBeInstanceOf(
      Array,
    );
    // The SDK asks for the announced scope again, gets the same grant, and gives up.
    const refused = client.callTool({ name: 'add_note', arguments: { text: 'no' } });
    await expect(refused).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(refused).rejects.toMatchObject({ code: 403 });
  });
});

describe('refusals', () => {
  it('answers 403 insufficient_scope naming the tool’s scope', async () => {
    const token = await as.token(READER, mcp.url);
    const res = await post(toolCall('add_note', { text: 'no' }), token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="notes:write", resource_metadata="${metadataUrl}"`,
    );
  });

  it('names every missing scope of a batch', async () => {
    const token = await as.token(WRITER, mcp.url, 'notes:read');
    const res = await post([toolCall('list_notes'), toolCall('add_note', { text: 'no' })], token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="notes:read notes:write"');
  });

  it('refuses a token issued for another resource: 401 invalid_token on aud', async () => {
    const token = await as.token(WRITER, OTHER_RESOURCE);
    const res = await post(toolCall('whoami'), token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]*aud[^"]*", resource_metadata=/,
    );
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });

  it.each([
    ['an empty batch', []],
    ['a tools/call without a tool name', toolCall(42)],
    ['a batch holding a number', [1]],
    ['a tools/call with no params', { jsonrpc: '2.0', id: 1, method: 'tools/call' }],
  ])('answers 400 invalid_request to %s', async (_name, body) => {
    const token = await as.token(WRITER, mcp.url);
    const res = await post(body, token);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers 400 invalid_request to a POST whose body is not JSON-RPC over JSON', async () => {
    const token = await as.token(WRITER, mcp.url);
    const res = await fetch(mcp.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: JSON.stringify(toolCall('add_note', { text: 'sneaky' })),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers a body that is not JSON as a JSON-RPC parse error, never a crash', async () => {
    const token = await as.token(WRITER, mcp.url);
    const res = await post('{"jsonrpc":', token);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32700 } });
  });
});
