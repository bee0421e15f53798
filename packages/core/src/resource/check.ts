// The `resource` option, checked once in createVerifier: a document or a challenge built from
// it later can then be trusted to be well-formed.
import type { VerifierOptions } from '../options.js';
import { checkKnownKeys } from '../options-check.js';
import { metadataLocation } from './location.js';
import type { ProtectedResourceOptions } from './types.js';

// biome-ignore format: grouped as in ProtectedResourceOptions
const RESOURCE_KEYS: readonly (keyof ProtectedResourceOptions)[] = [
  'resource', 'authorizationServers', 'scopesSupported', 'jwksUri',
  'resourceSigningAlgValuesSupported', 'resourceName', 'resourceDocumentation',
  'resourcePolicyUri', 'resourceTosUri',
];

const URL_MEMBERS = ['jwksUri', 'resourceDocumentation', 'resourcePolicyUri', 'resourceTosUri'];

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function checkList(
  value: unknown,
  name: string,
  item: (entry: string) => boolean,
  what: string,
): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(`"resource.${name}" must be a non-empty array of ${what}`);
  for (const entry of value)
    if (typeof entry !== 'string' || entry === '' || !item(entry))
      throw new TypeError(
        `"resource.${name}" must be a non-empty array of ${what}, got ${JSON.stringify(entry)}`,
      );
}

/**
 * Check the `resource` option (`TypeError` naming the member at fault), and that an explicit
 * `resourceMetadata` names the same URL the metadata is served at: `resource` makes
 * `resourceMetadata` default to that URL, so setting both is only accepted when they agree.
 *
 * @example
 * checkResourceOption({ resource: { resource: 'https://api.example/' } });
 */
export function checkResourceOption(o: VerifierOptions): void {
  const resource: unknown = o.resource;
  if (resource === undefined) return;
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource))
    throw new TypeError('"resource" must be an object with at least { resource }');
  checkKnownKeys(resource, RESOURCE_KEYS, ' in "resource"');
  const r = resource as Record<string, unknown>;
  // The location check explains what is wrong with the identifier (scheme, fragment, ...).
  const { url } = metadataLocation(r.resource);
  checkList(r.authorizationServers, 'authorizationServers', isUrl, 'issuer URLs');
  checkList(r.scopesSupported, 'scopesSupported', (s) => SCOPE_TOKEN.test(s), 'scope tokens');
  // RFC 9728 §2: "none" MUST NOT be listed.
  checkList(
    r.resourceSigningAlgValuesSupported,
    'resourceSigningAlgValuesSupported',
    (alg) => alg !== 'none',
    'JWS algorithm names other than "none"',
  );
  for (const name of URL_MEMBERS)
    if (r[name] !== undefined && !isUrl(r[name]))
      throw new TypeError(`"resource.${name}" must be an absolute http(s) URL`);
  if (r.resourceName !== undefined && (typeof r.resourceName !== 'string' || !r.resourceName))
    throw new TypeError('"resource.resourceName" must be a non-empty string');
  if (o.resourceMetadata !== undefined && o.resourceMetadata !== url)
    throw new TypeError(
      `"resourceMetadata" must be left out with "resource" (it defaults to ${url}), or equal it`,
    );
}
