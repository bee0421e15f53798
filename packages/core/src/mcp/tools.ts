// Scopes per MCP tool. The Streamable HTTP transport posts JSON-RPC messages; a tool runs on a
// `tools/call` request whose `params.name` names it. The body is read exactly as the MCP
// server will read it (the object the JSON body parser produced, handed to the transport as
// its parsed body), so the tool checked here is the tool that runs.
import { InvalidRequestError } from '../errors.js';
import { scopeCheck } from '../scopes.js';

/**
 * The scopes each MCP tool requires, by tool name: one scope, or a list the token must carry
 * all of. A tool missing from the map needs no scope beyond the route's own (`jwtAuth()` has
 * already required a valid token for this resource).
 *
 * @example
 * const toolScopes: ToolScopes = { read_note: 'notes:read', write_note: ['notes:read', 'notes:write'] };
 */
export type ToolScopes = Readonly<Record<string, string | readonly string[]>>;

/**
 * Check a {@link ToolScopes} map once (a `TypeError` naming `where` and the tool on misuse) and
 * return it as a frozen map from tool name to its scope list.
 *
 * @example
 * const scopes = compileToolScopes({ read_note: 'notes:read' }, 'requireToolScopes()');
 * scopes.get('read_note'); // ['notes:read']
 */
export function compileToolScopes(
  toolScopes: ToolScopes,
  where: string,
): ReadonlyMap<string, readonly string[]> {
  if (toolScopes === null || typeof toolScopes !== 'object' || Array.isArray(toolScopes))
    throw new TypeError(`${where}: the tool scopes must be an object mapping tool names to scopes`);
  const compiled = new Map<string, readonly string[]>();
  for (const [tool, scopes] of Object.entries(toolScopes)) {
    if (typeof scopes !== 'string' && !Array.isArray(scopes))
      throw new TypeError(`${where}: tool "${tool}": the scopes must be a string or an array`);
    try {
      // The same validation as every other scope requirement (RFC 6749 §3.3 scope tokens).
      scopeCheck(scopes);
    } catch (error) {
      throw new TypeError(`${where}: tool "${tool}": ${(error as Error).message}`);
    }
    compiled.set(tool, Object.freeze(typeof scopes === 'string' ? [scopes] : [...new Set(scopes)]));
  }
  return compiled;
}

function malformed(reason: string): InvalidRequestError {
  return new InvalidRequestError(`Malformed MCP request body: ${reason}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// One JSON-RPC message: the tool it calls, if it is a `tools/call` request.
function calledTool(message: unknown, at: string): string | undefined {
  // The MCP SDK accepts only `"jsonrpc": "2.0"` messages: anything else is no message at all
  // (an Express 4 body parser leaves `{}` for a body it did not parse).
  if (!isObject(message) || message.jsonrpc !== '2.0')
    throw malformed(`${at} is not a JSON-RPC 2.0 message`);
  if (message.method !== 'tools/call') return undefined;
  const { params } = message;
  if (!isObject(params)) throw malformed(`${at} is a tools/call without "params"`);
  if (typeof params.name !== 'string' || params.name === '')
    throw malformed(`${at} is a tools/call whose "params.name" is not a tool name`);
  return params.name;
}

/**
 * The names of the tools a parsed MCP Streamable HTTP POST body calls: the `params.name` of
 * each JSON-RPC `tools/call` request in it (one message, or a batch). Other messages
 * (`initialize`, `tools/list`, notifications, responses) call none. A body that is not a
 * JSON-RPC 2.0 message (`"jsonrpc": "2.0"`) or a non-empty batch of them, or a `tools/call` without a string
 * `params.name`, throws an {@link InvalidRequestError} (400 `invalid_request`).
 *
 * @example
 * toolCallNames({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_note' } }); // ['read_note']
 */
export function toolCallNames(body: unknown): string[] {
  if (body === undefined)
    throw malformed('no JSON body (send application/json and parse it before the scope check)');
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0) throw malformed('an empty batch');
  const names: string[] = [];
  messages.forEach((message, i) => {
    const name = calledTool(message, Array.isArray(body) ? `message ${i}` : 'the message');
    if (name !== undefined) names.push(name);
  });
  return names;
}

/**
 * The scopes a parsed MCP POST body requires under `toolScopes`: the union of the scopes of
 * every tool it calls, without duplicates. Malformed bodies throw as in
 * {@link toolCallNames}; a misused map throws a `TypeError`.
 *
 * @example
 * requiredToolScopes(
 *   { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'write_note' } },
 *   { read_note: 'notes:read', write_note: 'notes:write' },
 * ); // ['notes:write']
 */
export function requiredToolScopes(body: unknown, toolScopes: ToolScopes): string[] {
  const compiled = compileToolScopes(toolScopes, 'requiredToolScopes()');
  const required = new Set<string>();
  for (const name of toolCallNames(body))
    for (const scope of compiled.get(name) ?? []) required.add(scope);
  return [...required];
}
