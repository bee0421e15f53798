// RFC 9728 protected-resource metadata: the document and where it is served.
import type { VerifierOptions } from '../options.js';
import { isVerifier } from '../protocol/gate.js';
import { DEFAULT_DPOP_ALGORITHMS } from '../sender/dpop-options.js';
import type { Verifier } from '../verifier-types.js';
import { checkResourceOption } from './check.js';
import { metadataLocation } from './location.js';

/**
 * The RFC 9728 metadata of a protected resource: the JSON document, the path it is served at
 * on this API's origin (RFC 9728 §3.1: `/.well-known/oauth-protected-resource` followed by the
 * resource's path) and its absolute URL (the challenges' `resource_metadata`).
 *
 * @example
 * const { path, document } = protectedResourceMetadata(verifier);
 * app.get(path, (_req, res) => res.json(document));
 */
export interface ProtectedResourceMetadata {
  /** Where to serve the document on this API's origin, e.g. `/.well-known/oauth-protected-resource/mcp`. */
  readonly path: string;
  /** The document's absolute URL: the `resource_metadata` of every challenge. */
  readonly url: string;
  /** The RFC 9728 §2 document, frozen: send it as JSON. */
  readonly document: Readonly<Record<string, unknown>>;
}

type Document = Record<string, unknown>;

function frozenList(list: readonly string[] | undefined): readonly string[] | undefined {
  return list === undefined ? undefined : Object.freeze([...list]);
}

// The extraction options say how a token may be sent; a custom `extract` replaces them, so
// nothing can be said then.
function bearerMethods(o: VerifierOptions): readonly string[] | undefined {
  if (o.extract !== undefined) return undefined;
  return frozenList(o.query === true ? ['header', 'query'] : ['header']);
}

function dpopMembers(dpop: VerifierOptions['dpop']): Document {
  if (dpop === undefined || dpop === 'off') return {};
  const settings = typeof dpop === 'string' ? { mode: dpop } : dpop;
  return {
    dpop_signing_alg_values_supported: frozenList(settings.algorithms ?? DEFAULT_DPOP_ALGORITHMS),
    dpop_bound_access_tokens_required: settings.mode === 'required',
  };
}

/**
 * The metadata of the resource configured with the `resource` option of a verifier (or of
 * verifier options). Members the verifier already knows are derived from its options:
 * `bearer_methods_supported` (`header`, and `query` with `query: true`; left out with a custom
 * `extract`), the DPoP members (with `dpop` on) and
 * `tls_client_certificate_bound_access_tokens` (with `mtls` on). Throws a `TypeError` when
 * `resource` is not configured or is invalid. Build it once, when the route is declared.
 *
 * @example
 * const { path, url, document } = protectedResourceMetadata(verifier);
 */
export function protectedResourceMetadata(
  from: Verifier<unknown> | VerifierOptions,
): ProtectedResourceMetadata {
  if (from === null || typeof from !== 'object')
    throw new TypeError('protectedResourceMetadata() expects a verifier or verifier options');
  const options: VerifierOptions = isVerifier(from) ? from.options : from;
  if (options?.resource === undefined)
    throw new TypeError(
      'protectedResourceMetadata() needs the "resource" option: createVerifier({ ..., resource: { resource: "https://api.example/" } })',
    );
  checkResourceOption(options);
  const r = options.resource;
  const { path, url } = metadataLocation(r.resource);
  const document: Document = {
    resource: r.resource,
    authorization_servers: frozenList(r.authorizationServers),
    jwks_uri: r.jwksUri,
    scopes_supported: frozenList(r.scopesSupported),
    bearer_methods_supported: bearerMethods(options),
    resource_signing_alg_values_supported: frozenList(r.resourceSigningAlgValuesSupported),
    resource_name: r.resourceName,
    resource_documentation: r.resourceDocumentation,
    resource_policy_uri: r.resourcePolicyUri,
    resource_tos_uri: r.resourceTosUri,
    ...(options.mtls === undefined || options.mtls === 'off'
      ? {}
      : { tls_client_certificate_bound_access_tokens: true }),
    ...dpopMembers(options.dpop),
  };
  // Members left unset are left out, not sent as null.
  for (const key of Object.keys(document)) if (document[key] === undefined) delete document[key];
  return Object.freeze({ path, url, document: Object.freeze(document) });
}
