// Where a protected resource's metadata lives (RFC 9728 §3.1): the well-known suffix goes
// between the resource identifier's host and its path. One rule, used by the option check,
// the metadata helper and the challenges' `resource_metadata`.

/** RFC 9728 §3: the registered well-known URI suffix. */
export const WELL_KNOWN_PATH = '/.well-known/oauth-protected-resource';

// Plain http only where nothing leaves the machine (RFC 8252 §8.3 makes the same exception).
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Check a resource identifier and return it parsed: an absolute `https` URL (`http` for
 * loopback hosts only) without credentials, query or fragment (RFC 8707 §2, RFC 9728 §1.2).
 * Anything else throws a `TypeError` saying that `name` must be such a URL.
 *
 * @example
 * resourceUrl('https://api.example/mcp', '"resource.resource"'); // URL
 * resourceUrl('http://api.example/', 'mcpResource(): "resource"'); // TypeError
 */
export function resourceUrl(resource: unknown, name: string): URL {
  let url: URL | undefined;
  try {
    url = typeof resource === 'string' ? new URL(resource) : undefined;
  } catch {}
  const fail = (why: string) =>
    new TypeError(`${name} must be ${why}, got ${JSON.stringify(resource)}`);
  if (url === undefined) throw fail('an absolute https URL');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw fail('an https URL (http only for a loopback host)');
  if (url.username !== '' || url.password !== '') throw fail('a URL without credentials');
  if ((resource as string).includes('#')) throw fail('a URL without a fragment');
  if ((resource as string).includes('?')) throw fail('a URL without a query');
  return url;
}

/**
 * The path (on the resource's origin) and the absolute URL of a resource identifier's
 * metadata. Throws a `TypeError` naming `resource.resource` unless {@link resourceUrl}
 * accepts it.
 *
 * @example
 * metadataLocation('https://api.example/mcp');
 * // { path: '/.well-known/oauth-protected-resource/mcp',
 * //   url: 'https://api.example/.well-known/oauth-protected-resource/mcp' }
 */
export function metadataLocation(resource: unknown): { path: string; url: string } {
  const url = resourceUrl(resource, '"resource.resource"');
  // A resource at the root ("https://api.example/") has its metadata at the bare suffix.
  const path = url.pathname === '/' ? WELL_KNOWN_PATH : `${WELL_KNOWN_PATH}${url.pathname}`;
  return { path, url: `${url.origin}${path}` };
}
