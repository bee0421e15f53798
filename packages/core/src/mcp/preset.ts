// The verifier options of an MCP server (MCP authorization spec, 2025-06-18 and later): an
// OAuth resource server whose tokens must be issued for it (RFC 8707 audience), which
// publishes RFC 9728 metadata naming its authorization servers, and whose challenges point
// there.
import type { IssuerConfig, VerifierOptions } from '../options.js';
import type { ProtectedResourceOptions } from '../resource/types.js';
import { canonicalResourceUri } from './resource-uri.js';
import { compileToolScopes, type ToolScopes } from './tools.js';

const WHERE = 'mcpResource()';

// What the preset decides itself; given in the input they would contradict it.
const OWNED = ['audience', 'resourceMetadata'] as const;
const KEY_SOURCES = ['secret', 'keys', 'jwksUri', 'discovery', 'getKey', 'issuers'] as const;

/**
 * Options of {@link mcpResource}: this MCP server's canonical URI and its authorization
 * servers, plus any verifier option except `audience` (always the resource), `resource` and
 * `resourceMetadata` (derived).
 *
 * @example
 * const options: McpResourceOptions = {
 *   resource: 'https://mcp.example.com/mcp',
 *   authorizationServers: ['https://id.example.com'],
 * };
 */
export interface McpResourceOptions
  extends Omit<VerifierOptions, 'audience' | 'resource' | 'resourceMetadata' | 'issuer'> {
  /**
   * This MCP server's canonical URI (the URL clients connect to): the `resource` of its
   * metadata and the only accepted `aud`. Non-canonical input (uppercase host, default port,
   * a fragment, `http` off loopback) is a `TypeError` naming the canonical form.
   */
  resource: string;
  /** Issuer identifiers of the authorization servers clients get tokens from. At least one. */
  authorizationServers: readonly string[];
  /** Expected `iss`. Default: the authorization servers. */
  issuer?: string | string[];
  /** `scopes_supported` of the metadata. Default: every scope of `toolScopes`, if given. */
  scopesSupported?: string[];
  /** The scopes of each tool (as given to `requireToolScopes()`), announced in the metadata. */
  toolScopes?: ToolScopes;
  /** The rest of the RFC 9728 document: `resourceName`, `resourceDocumentation`, ... */
  metadata?: Omit<
    ProtectedResourceOptions,
    'resource' | 'authorizationServers' | 'scopesSupported'
  >;
}

function checkAuthorizationServers(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(
      `${WHERE}: "authorizationServers" must be a non-empty array of issuer identifiers`,
    );
  for (const server of value)
    if (typeof server !== 'string' || !URL.canParse(server))
      throw new TypeError(
        `${WHERE}: "authorizationServers" entries must be issuer URLs, got ${JSON.stringify(server)}`,
      );
  return [...value];
}

// With `issuers`, each entry's audience comes from the preset: one set per entry could accept
// tokens meant for another resource.
function checkIssuers(issuers: VerifierOptions['issuers']): IssuerConfig[] {
  if (typeof issuers === 'function')
    throw new TypeError(
      `${WHERE}: "issuers" must be an array: the authorization servers are a fixed list in the metadata`,
    );
  if (!Array.isArray(issuers)) return issuers as never; // createVerifier names the misuse
  issuers.forEach((config, i) => {
    if (config !== null && typeof config === 'object' && 'audience' in config)
      throw new TypeError(
        `${WHERE}: "audience" in issuers[${i}] is not allowed: the audience is the resource`,
      );
  });
  return issuers;
}

function scopesOf(options: McpResourceOptions): string[] | undefined {
  if (options.toolScopes === undefined) return options.scopesSupported;
  const tools = compileToolScopes(options.toolScopes, WHERE);
  const fromTools = [...new Set([...tools.values()].flat())];
  const all = [...new Set([...(options.scopesSupported ?? []), ...fromTools])];
  // An empty map announces nothing: RFC 9728 lists are non-empty when present.
  return all.length === 0 ? options.scopesSupported : all;
}

/**
 * Verifier options for an MCP server: `audience` is the server's canonical URI (RFC 8707;
 * a token issued for another resource is refused 401 `invalid_token`), `issuer` defaults to
 * the authorization servers, the keys come from their discovery documents unless a key source
 * is given, and `resource` carries the RFC 9728 metadata (served by each adapter's metadata
 * route, and named in every challenge as `resource_metadata`). Misuse throws a `TypeError`.
 *
 * @example
 * const verifier = createVerifier(mcpResource({
 *   resource: 'https://mcp.example.com/mcp',
 *   authorizationServers: ['https://id.example.com'],
 *   toolScopes: { read_note: 'notes:read', write_note: 'notes:write' },
 * }));
 */
export function mcpResource(options: McpResourceOptions): VerifierOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new TypeError(`${WHERE} expects an options object`);
  for (const key of OWNED)
    if (key in options)
      throw new TypeError(
        `${WHERE}: "${key}" is set by the preset from "resource"; remove it (an MCP server accepts only tokens issued for it)`,
      );
  const resource = canonicalResourceUri(options.resource, WHERE);
  const authorizationServers = checkAuthorizationServers(options.authorizationServers);
  const {
    resource: _resource,
    authorizationServers: _servers,
    scopesSupported: _scopes,
    toolScopes: _tools,
    metadata,
    ...verifier
  } = options;
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object'))
    throw new TypeError(`${WHERE}: "metadata" must be an object`);
  const scopesSupported = scopesOf(options);
  const result: VerifierOptions = {
    ...verifier,
    audience: resource,
    resource: {
      ...metadata,
      resource,
      authorizationServers,
      ...(scopesSupported === undefined ? {} : { scopesSupported }),
    },
  };
  if (options.issuers !== undefined) {
    result.issuers = checkIssuers(options.issuers);
    return result;
  }
  if ('issuer' in options && options.issuer === undefined)
    throw new TypeError(
      `${WHERE}: "issuer" is undefined — is the environment variable it comes from unset? Leave it out to accept the authorization servers`,
    );
  // `false` (any issuer) would accept tokens from servers the metadata does not name.
  if ((options.issuer as unknown) === false)
    throw new TypeError(
      `${WHERE}: "issuer" cannot be false; leave it out to accept the authorization servers`,
    );
  const issuer = options.issuer ?? authorizationServers;
  const hasKeySource = KEY_SOURCES.some((key) => options[key] !== undefined);
  if (hasKeySource) return { ...result, issuer: unwrap(issuer) };
  // No key source: each authorization server's keys from its discovery document.
  if (typeof issuer === 'string' || issuer.length === 1)
    return { ...result, issuer: unwrap(issuer), discovery: true };
  return { ...result, issuers: issuer.map((iss) => ({ issuer: iss, discovery: true })) };
}

function unwrap(issuer: string | string[]): string | string[] {
  return Array.isArray(issuer) && issuer.length === 1 ? (issuer[0] as string) : issuer;
}
