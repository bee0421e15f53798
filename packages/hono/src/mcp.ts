// MCP servers on Hono (the MCP SDK's Web-standard Streamable HTTP transport): scopes per tool,
// checked on the JSON-RPC body, and the verified token in the SDK's shape.
import {
  InvalidRequestError,
  isTokengateError,
  type McpAuthInfo,
  type ToolScopes,
  toMcpAuthInfo,
} from '@tokengate/core';
import { authorizeUnauthenticated, type RouteRules, toolScopeRules } from '@tokengate/core/adapter';
import type { Context, MiddlewareHandler } from 'hono';
import type { TokengateEnv } from './env.js';
import { gateOf, HonoExchange } from './exchange.js';

const WHERE = 'requireToolScopes()';

// Hono keeps the parsed body: the handler's `c.req.json()` gets this same value, so the tool
// checked is the tool the transport runs.
async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch (cause) {
    throw new InvalidRequestError('Malformed MCP request body: not JSON', { cause });
  }
}

/**
 * Route middleware for an MCP endpoint behind `jwtAuth`: answers 403 `insufficient_scope`
 * with the tool's `scope` unless `c.var.auth` has the scopes of every tool the JSON-RPC body
 * calls (`tools/call`, one message or a batch). A POST whose body is not JSON, or not a
 * JSON-RPC 2.0 message, is refused 400 `invalid_request`; an anonymous request calling a
 * scoped tool gets 401; a route where no `jwtAuth` ran gets 500. Tools missing from the map
 * need no scope beyond the route's. Hand the transport `await c.req.json()` as its parsed
 * body. Misuse throws `TypeError` here.
 *
 * @example
 * app.post('/mcp', jwtAuth(verifier), requireToolScopes({ add_note: 'notes:write' }), async (c) =>
 *   transport.handleRequest(c.req.raw, { authInfo: mcpAuthInfo(c), parsedBody: await c.req.json() }));
 */
export function requireToolScopes(toolScopes: ToolScopes): MiddlewareHandler<TokengateEnv> {
  const rulesOf = toolScopeRules(toolScopes, WHERE);
  return async function tokengateToolScopes(c, next) {
    const gate = gateOf(c);
    const exchange = new HonoExchange(c, next);
    if (gate === undefined) return authorizeUnauthenticated(exchange, WHERE);
    // Only a POST carries JSON-RPC messages; GET opens the server's event stream and DELETE
    // ends a session.
    if (c.req.method !== 'POST') return next();
    let rules: RouteRules;
    try {
      rules = rulesOf(await jsonBody(c));
    } catch (error) {
      if (isTokengateError(error)) return exchange.refuse(gate.refusal(error));
      throw error;
    }
    return gate.authorize(exchange, c.get('auth'), rules);
  };
}

/**
 * The verified token of this request in the MCP SDK's `AuthInfo` shape (`undefined` when none
 * was verified), for the transport's `authInfo` option: tool handlers receive it as
 * `extra.authInfo`. Its `resource` is the `resource` option of the `jwtAuth` verifier.
 *
 * @example
 * await transport.handleRequest(c.req.raw, { authInfo: mcpAuthInfo(c), parsedBody: await c.req.json() });
 */
export function mcpAuthInfo(c: Context): McpAuthInfo | undefined {
  const auth = c.get('auth');
  if (auth === undefined) return undefined;
  return toMcpAuthInfo(auth, gateOf(c)?.verifier.options?.resource?.resource);
}
