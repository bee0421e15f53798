// The protected resource an API describes to its clients (RFC 9728), configured once on the
// verifier: the same options give the metadata document and the challenges' parameters.

/**
 * What an API says about itself in its RFC 9728 protected-resource metadata. Members the
 * verifier already knows (`bearer_methods_supported`, `dpop_signing_alg_values_supported`,
 * `dpop_bound_access_tokens_required`, `tls_client_certificate_bound_access_tokens`) are
 * derived from its options, never written twice.
 *
 * @example
 * createVerifier({ jwksUri, issuer, audience: 'https://api.example/mcp',
 *   resource: { resource: 'https://api.example/mcp', authorizationServers: ['https://id.example/'] } });
 */
export interface ProtectedResourceOptions {
  /** RFC 9728 §2 `resource`: this API's resource identifier, an `https` URL without a fragment (`http` only for loopback). Required. */
  resource: string;
  /** `authorization_servers`: issuer identifiers of the authorization servers clients may use. */
  authorizationServers?: string[];
  /** `scopes_supported`. */
  scopesSupported?: string[];
  /** `jwks_uri`: where this resource publishes its own keys (for signed responses). */
  jwksUri?: string;
  /** `resource_signing_alg_values_supported`. */
  resourceSigningAlgValuesSupported?: string[];
  /** `resource_name`: a human-readable name. */
  resourceName?: string;
  /** `resource_documentation`: a URL for developers. */
  resourceDocumentation?: string;
  /** `resource_policy_uri`. */
  resourcePolicyUri?: string;
  /** `resource_tos_uri`. */
  resourceTosUri?: string;
}
