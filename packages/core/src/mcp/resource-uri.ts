// The canonical URI of an MCP server (MCP authorization spec, "Canonical Server URI"; RFC 8707
// §2): the `resource` clients send to the authorization server and so the `aud` of the tokens
// they present. The audience check is an exact string comparison, so a non-canonical value is
// refused at construction rather than rewritten: the identifier in the metadata, in the
// authorization server's configuration and in the tokens must be the same string.

import { resourceUrl } from '../resource/location.js';

/**
 * Check that `value` is a canonical MCP server URI and return it unchanged: an absolute `https`
 * URL (`http` only on a loopback host) with a lowercase scheme and host, no default port, no
 * user information, query or fragment, and a path already in the form URL parsers give it.
 * A root URI may be written with or without its trailing slash (`https://mcp.example.com`
 * or `https://mcp.example.com/`); they are two different audiences. Anything else throws a
 * `TypeError` naming `where` and, when there is one, the canonical form.
 *
 * @example
 * canonicalResourceUri('https://mcp.example.com/mcp', 'mcpResource()'); // 'https://mcp.example.com/mcp'
 * canonicalResourceUri('https://MCP.example.com:443/mcp', 'mcpResource()'); // TypeError: ... "https://mcp.example.com/mcp"
 */
export function canonicalResourceUri(value: unknown, where: string): string {
  const name = `${where}: "resource"`;
  const url = resourceUrl(value, name);
  const canonical = url.href;
  const rootWithoutSlash = url.pathname === '/' ? canonical.slice(0, -1) : '';
  if (value !== canonical && value !== rootWithoutSlash)
    throw new TypeError(
      `${name} must be the canonical URI "${rootWithoutSlash || canonical}" (lowercase scheme and host, no default port), got "${value}"`,
    );
  return value as string;
}
