// MCP servers on Express (the MCP SDK's Streamable HTTP transport): scopes per tool, checked
// on the JSON-RPC body, and the hand-over of the verified token to the SDK's transport.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isTokengateError,
  type McpAuthInfo,
  type ToolScopes,
  toMcpAuthInfo,
} from '@tokengate/core';
import { authorizeUnauthenticated, type RouteRules, toolScopeRules } from '@tokengate/core/adapter';
import type { Request, RequestHandler, Response } from 'express';
import { ExpressExchange, getAuthContext } from './exchange.js';

const WHERE = 'requireToolScopes()';

/**
 * Route middleware for an MCP endpoint: answers 403 `insufficient_scope` with the tool's
 * `scope` unless `req.auth` has the scopes of every tool the JSON-RPC body calls (`tools/call`,
 * one message or a batch). Place it after `jwtAuth()` and `express.json()`: the body it reads
 * is the one the transport runs. A POST whose body is not a JSON-RPC message (or was not
 * parsed) is refused 400 `invalid_request`; an anonymous request calling a scoped tool gets
 * 401; a route where no `jwtAuth()` ran gets 500. Tools missing from the map need no scope
 * beyond the route's. Misuse throws `TypeError` here.
 *
 * @example
 * const toolScopes = { read_note: 'notes:read', write_note: 'notes:write' };
 * app.post('/mcp', jwtAuth(verifier), express.json(), requireToolScopes(toolScopes), mcpHandler);
 */
export function requireToolScopes(toolScopes: ToolScopes): RequestHandler {
  const rulesOf = toolScopeRules(toolScopes, WHERE);
  return function requireToolScopesMiddleware(req, res, next) {
    const context = getAuthContext(req);
    const exchange = new ExpressExchange(req, res, next, context?.passErrors ?? false);
    if (context === undefined) return authorizeUnauthenticated(exchange, WHERE);
    // Only a POST carries JSON-RPC messages; GET opens the server's event stream and DELETE
    // ends a session.
    if (req.method !== 'POST') return next();
    let rules: RouteRules;
    try {
      rules = rulesOf(req.body);
    } catch (error) {
      if (isTokengateError(error)) return exchange.refuse(context.gate.refusal(error));
      return exchange.fail(error);
    }
    context.gate.authorize(exchange, req.auth, rules);
  };
}

/**
 * The part of the MCP SDK's `StreamableHTTPServerTransport` that {@link handleMcpRequest}
 * uses (declared by shape: the adapter has no SDK dependency).
 *
 * @example
 * const transport: McpHttpTransport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
 */
export interface McpHttpTransport {
  handleRequest(
    req: IncomingMessage & { auth?: McpAuthInfo },
    res: ServerResponse,
    parsedBody?: unknown,
  ): Promise<void>;
}

/**
 * Hand an Express request to the MCP SDK's Streamable HTTP transport with the verified token
 * in the SDK's shape. The SDK reads its `AuthInfo` from `req.auth`, where `jwtAuth()` put
 * tokengate's: for the duration of the call `req.auth` holds {@link toMcpAuthInfo} of it
 * (with this server's `resource`), then tokengate's again. Tool handlers receive it as
 * `extra.authInfo`. The body parsed by `express.json()` is passed as the parsed body.
 *
 * @example
 * app.post('/mcp', jwtAuth(verifier), express.json(), requireToolScopes(toolScopes), async (req, res) => {
 *   const server = createServer();
 *   const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
 *   await server.connect(transport);
 *   await handleMcpRequest(transport, req, res);
 * });
 */
export async function handleMcpRequest(
  transport: McpHttpTransport,
  req: Request,
  res: Response,
): Promise<void> {
  const auth = req.auth;
  const resource = getAuthContext(req)?.gate.verifier.options?.resource?.resource;
  const forSdk = auth === undefined ? undefined : toMcpAuthInfo(auth, resource);
  // One property, two owners: the SDK's transport reads `req.auth` as its own shape.
  const view = req as IncomingMessage & { auth?: McpAuthInfo | typeof auth };
  view.auth = forSdk;
  try {
    await transport.handleRequest(view as IncomingMessage & { auth?: McpAuthInfo }, res, req.body);
  } finally {
    view.auth = auth;
  }
}
