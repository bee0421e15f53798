// The MCP server that every adapter's per-tool scope tests protect: one resource, one
// authorization server, the preset's verifier options, two tools and their scopes.
import { mcpResource } from '@tokengate/core';
import { createSecretMinter } from '@tokengate/testing/mint';

const RESOURCE = 'https://mcp.example.test/mcp';
const ISSUER = 'https://id.example.test';
const minter = createSecretMinter({ issuer: ISSUER, audience: RESOURCE, subject: 'alice' });

/**
 * The MCP test server: `options` for the adapter, `minter` for its tokens, `TOOLS` for
 * `requireToolScopes`, `METADATA` as its 401s name it, and `call(name)` for a JSON-RPC
 * `tools/call` body.
 *
 * @example
 * const { options, TOOLS, call } = MCP_FIXTURE;
 * app.post('/mcp', jwtAuth(options), requireToolScopes(TOOLS), handler);
 */
export const MCP_FIXTURE = {
  RESOURCE,
  ISSUER,
  METADATA: 'https://mcp.example.test/.well-known/oauth-protected-resource/mcp',
  minter,
  options: mcpResource({
    resource: RESOURCE,
    authorizationServers: [ISSUER],
    secret: minter.secret,
    algorithms: ['HS256'],
  }),
  TOOLS: { read_note: 'notes:read', write_note: ['notes:read', 'notes:write'] },
  call: (name: unknown, id = 1) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: {} },
  }),
};
