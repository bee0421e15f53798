// The MCP SDK hands its tool handlers the verified token as its own `AuthInfo` shape
// (`extra.authInfo`). Declared here by shape, so that core needs no SDK dependency: the SDK's
// type accepts this one as it is.
import type { AuthInfo } from '../types.js';

/**
 * The verified token in the shape of the MCP TypeScript SDK's `AuthInfo`
 * (`@modelcontextprotocol/sdk/server/auth/types.js`), which the SDK's Streamable HTTP
 * transport reads from `req.auth` and passes to tool handlers as `extra.authInfo`.
 *
 * @example
 * server.registerTool('whoami', {}, (_args, { authInfo }) => ({
 *   content: [{ type: 'text', text: String(authInfo?.extra?.sub) }],
 * }));
 */
export interface McpAuthInfo {
  /** The access token, as presented. */
  token: string;
  /** The client the token was issued to: `client_id` (RFC 9068), else `azp`, else `''`. */
  clientId: string;
  /** The token's scopes. */
  scopes: string[];
  /** `exp`, in seconds since the epoch. */
  expiresAt?: number;
  /** The RFC 8707 resource the token was checked against (this MCP server's URI). */
  resource?: URL;
  /**
   * tokengate's view of the token: `sub`, the verified `claims`, and the sender `binding`
   * when the token is DPoP- or certificate-bound.
   */
  extra?: Record<string, unknown>;
}

function stringClaim(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Convert a verified token ({@link AuthInfo}, what the adapters put on the request) to the MCP
 * SDK's `AuthInfo` shape. `resource` is this server's resource URI (the preset's `resource`),
 * reported to the handlers as a `URL`.
 *
 * @example
 * const authInfo = toMcpAuthInfo(req.auth, 'https://mcp.example.com/mcp');
 * authInfo.scopes; // ['notes:read']
 */
export function toMcpAuthInfo(auth: AuthInfo<unknown>, resource?: string): McpAuthInfo {
  const claims = auth.claims as Readonly<Record<string, unknown>>;
  const exp = claims.exp;
  return {
    token: auth.token,
    clientId: stringClaim(claims, 'client_id') ?? stringClaim(claims, 'azp') ?? '',
    scopes: [...auth.scopes],
    ...(typeof exp === 'number' ? { expiresAt: exp } : {}),
    ...(resource === undefined ? {} : { resource: new URL(resource) }),
    extra: {
      sub: stringClaim(claims, 'sub'),
      claims: auth.claims,
      ...(auth.binding === undefined ? {} : { binding: auth.binding }),
    },
  };
}
