import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  createVerifier,
  handleMcpRequest,
  jwtAuth,
  type McpResourceOptions,
  mcpResource,
  protectedResourceRoute,
  requireToolScopes,
} from '@tokengate/express';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { createNotesServer, type Note, TOOL_SCOPES } from './notes.js';

/**
 * What the example needs to know: this server's canonical URL (the MCP endpoint clients
 * connect to, e.g. `https://mcp.example.com/mcp`), its authorization servers, and any other
 * verifier option (a key source, `typ`, `clockTolerance`...).
 *
 * @example
 * const options: McpAppOptions = { resource: 'http://127.0.0.1:3002/mcp', authorizationServers: ['http://127.0.0.1:3000'] };
 */
export type McpAppOptions = Omit<McpResourceOptions, 'toolScopes'>;

// body-parser errors (broken JSON, body too large) carry a 4xx `status`: a JSON-RPC parse error.
const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = Number((error as { status?: unknown })?.status);
  if (status >= 400 && status < 500)
    res
      .status(status)
      .json({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
  else
    res
      .status(500)
      .json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
};

/**
 * The example MCP server on Express: the RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource/<path>` (public), and the Streamable HTTP endpoint at
 * the resource's path, where every request needs a token issued for this resource and each
 * tool its scope. Stateless: one MCP server and transport per request.
 *
 * @example
 * const app = createApp({ resource: 'http://127.0.0.1:3002/mcp', authorizationServers: ['http://127.0.0.1:3000'] });
 * app.listen(3002, '127.0.0.1');
 */
export function createApp(options: McpAppOptions): Express {
  const verifier = createVerifier(mcpResource({ ...options, toolScopes: TOOL_SCOPES }));
  const endpoint = new URL(options.resource).pathname;
  const notes: Note[] = [];

  const app = express();
  app.disable('x-powered-by');
  app.use(protectedResourceRoute(verifier));
  app.post(
    endpoint,
    jwtAuth(verifier),
    express.json({ limit: '1mb' }),
    requireToolScopes(TOOL_SCOPES),
    async (req, res) => {
      const server = createNotesServer(notes);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await handleMcpRequest(transport, req, res);
    },
  );
  // Stateless: no server-initiated event stream (GET) and no session to end (DELETE).
  app.all(endpoint, (_req, res) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null });
  });
  app.use(onError);
  return app;
}
