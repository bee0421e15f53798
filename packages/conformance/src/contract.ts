// CONTRACT between the conformance suite and every adapter's test. The conformance helper
// implements the suite; adapter tests only implement `StartAdapter`.
import type { AuthInfo, Verifier, VerifierOptions } from '@tokengate/core';
import type { ServerTlsOptions } from './certificates.js';
import type { DpopRoute, MtlsRoute } from './expectations.js';

/**
 * What the suite hands an adapter test. The adapter must serve, on 127.0.0.1, these routes
 * (every handler calls `app.hit(route, auth)` and answers 200 with its return value as JSON):
 *
 * | route              | protection                                                        |
 * | ------------------ | ----------------------------------------------------------------- |
 * | GET /protected     | `options` (auth required)                                         |
 * | GET /scoped        | `options` + requireScopes('read:things') (all)                    |
 * | GET /scoped-any    | `options` + requireScopes(['admin', 'write:things'], 'any')       |
 * | GET /claims        | `options` + requireClaims({ org: 'acme' })                        |
 * | GET /optional      | `options` with optional: 'allow-missing'                          |
 * | GET /lenient       | `options` with optional: 'allow-invalid'                          |
 * | GET /public        | no auth at all                                                    |
 * | GET /down          | `downOptions` (JWKS endpoint unreachable: 503 expected)           |
 * | GET /defaults      | `defaultOptions` (no `realm`, no `query`: every default)          |
 * | GET /guard-only    | requireScopes('read:things') with no authentication before it     |
 * | GET /dpop, …       | `dpopRoutes[route]` (auth required), one verifier per route       |
 * | GET /mtls, …       | `mtlsRoutes[route]` (auth required), one verifier per route       |
 * | GET /resource      | `resourceOptions` (auth required)                                 |
 * | GET /resource-scoped | `resourceOptions` + scope 'read:things', declared where the authentication sees it |
 * | GET /resource-dpop | `resourceDpopOptions` (auth required)                             |
 * | GET, HEAD, OPTIONS, POST `/.well-known/oauth-protected-resource/mcp` | the adapter's metadata route over `resourceOptions` |
 *
 * `options`/`downOptions`/`defaultOptions` are plain core `VerifierOptions` (plain JSON, so
 * they can reach a worker as bindings); an adapter may also be given a
 * prebuilt `verifier` for the main routes (to prove sharing works), whichever it prefers.
 * `/guard-only` is served only by adapters whose scope guard stands apart from
 * authentication (see {@link ConformanceFeatures}).
 */
export interface ConformanceApp {
  options: VerifierOptions;
  verifier: Verifier;
  downOptions: VerifierOptions;
  /**
   * The test issuer's options and nothing else: the default realm in every challenge, and no
   * query extraction (a header token beside an `access_token` parameter is still refused).
   */
  defaultOptions: VerifierOptions;
  /**
   * The DPoP routes (`/dpop`, `/dpop-required`, `/dpop-nonce`, `/dpop-proxy`,
   * `/dpop-untrusted`), each protected (auth required) by a verifier of its own built from its
   * options, the way an application configures the adapter: `dpop` and `trustProxy` pass
   * through. See `dpop-routes.ts`.
   */
  dpopRoutes: Readonly<Record<DpopRoute, VerifierOptions>>;
  /**
   * The certificate-bound token routes (`/mtls`, `/mtls-required`), each protected (auth
   * required) by a verifier of its own built from its options: `mtls` passes through. See
   * `cases-mtls.ts`.
   */
  mtlsRoutes: Readonly<Record<MtlsRoute, VerifierOptions>>;
  /**
   * A protected resource (RFC 9728, the `resource` option): the adapter serves its metadata
   * with its own metadata route (at the path core computes), and protects `/resource` and
   * `/resource-scoped` with a verifier built from these options. `/resource-scoped` requires
   * the scope 'read:things' where the authentication sees it (the route options of
   * `jwtAuth()`, Fastify's `config.tokengate`, Nest's `@Scopes()`), so that its 401 names the
   * scope; an adapter whose authentication takes no scopes puts optional authentication
   * ('allow-missing') before its scope guard. See `cases-resource.ts`.
   */
  resourceOptions: VerifierOptions;
  /** `resourceOptions` with DPoP allowed: protects `/resource-dpop` (auth required). */
  resourceDpopOptions: VerifierOptions;
  /**
   * Record that a handler ran, with the adapter's `auth` value exactly as the handler sees it
   * (`undefined` when there is none); returns the JSON body to send.
   */
  hit(route: string, auth: AuthInfo | null | undefined): unknown;
}

/**
 * What an adapter offers beyond the routes every adapter serves.
 *
 * @example
 * runConformance('nestjs', start, { standaloneGuards: false });
 */
export interface ConformanceFeatures {
  /**
   * Its scope guard can be placed on a route without authentication before it (Express,
   * Fastify, Hono middleware), so it serves `/guard-only`. Nest's guard always authenticates
   * first. Default `true`.
   */
  standaloneGuards?: boolean;
  /**
   * Its request view knows the socket's peer address (`remoteAddress()`), so `trustProxy` can
   * trust a proxy by address. Not on Workers, where no socket is visible. Default `true`.
   */
  peerAddress?: boolean;
  /**
   * Its server can listen over HTTPS with the {@link StartAdapter}'s `tls` options, and its
   * request view gives the client certificate (`peerCertificate()`): the suite then runs the
   * mutual-TLS cases on a second server. Not on Workers. Default `true`.
   */
  mutualTls?: boolean;
}

/**
 * Start the adapter's server on 127.0.0.1 (port 0) and return its base URL and a closer. With
 * `tls`, serve HTTPS with these options (`node:https` `createServer` options: key, cert, CA,
 * `requestCert`) and return the `https://` URL.
 */
export type StartAdapter = (
  app: ConformanceApp,
  tls?: ServerTlsOptions,
) => Promise<{ baseUrl: string; close(): Promise<void> }>;
