import type {
  ClaimRequirements,
  OptionalMode,
  ScopeMode,
  Verifier,
  VerifierOptions,
} from '@tokengate/core';

/**
 * Settings of the plugin itself, on top of the verifier's options.
 *
 * @example
 * await app.register(tokengate, { verifier, global: true, passErrors: true });
 */
export interface TokengatePluginSettings {
  /**
   * Protect every route of the registering context (and of its child contexts) with an
   * `onRequest` hook; a route opts out with `config: { tokengate: { auth: false } }`.
   * Default `false`: only routes with `onRequest: app.authenticate` are protected.
   */
  global?: boolean;
  /**
   * Throw errors to Fastify's error handler (your `setErrorHandler`) instead of answering
   * them. The error is a `TokengateError` carrying `statusCode` and `headers`, so Fastify's
   * default handler still answers with the right status and `WWW-Authenticate`.
   * Default `false`: the plugin answers with status, headers and the JSON error body.
   */
  passErrors?: boolean;
}

/**
 * Options of the plugin: the core's `VerifierOptions` (or a prebuilt `verifier`, to share
 * one JWKS cache) plus {@link TokengatePluginSettings}.
 *
 * @example
 * await app.register(tokengate, { jwksUri, issuer, audience: 'api', global: true });
 */
export type TokengateOptions = TokengatePluginSettings &
  (({ verifier?: undefined } & VerifierOptions) | { verifier: Verifier<unknown> });

/**
 * Per-route settings, read from the route's `config.tokengate`.
 *
 * @example
 * app.get('/things', { config: { tokengate: { scopes: ['read:things'] } } }, handler);
 */
export interface TokengateRouteConfig {
  /** `false` leaves the route open under `global` mode. Default `true`. */
  auth?: boolean;
  /** Optional authentication for this route; `false` makes it required. Default: the verifier's. */
  optional?: OptionalMode | false;
  /** Scopes the token must carry (403 `insufficient_scope` otherwise). Default none. */
  scopes?: string | readonly string[];
  /** How several `scopes` combine. Default `'all'`. */
  scopeMode?: ScopeMode;
  /**
   * Claim requirements (a value, `{ includes }`, `{ oneOf }` or a predicate); 401
   * `invalid_token` naming the claim otherwise. Default none.
   */
  claims?: ClaimRequirements;
}

const PLUGIN_KEYS = ['global', 'passErrors'] as const;

/** Split plugin options into the plugin's settings and the verifier's options. */
export function splitOptions(options: TokengateOptions): {
  settings: Required<TokengatePluginSettings>;
  verifier: Verifier<unknown> | undefined;
  verifierOptions: VerifierOptions;
} {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('@tokengate/fastify: options must be an object');
  }
  const { global = false, passErrors = false, verifier, ...rest } = options;
  for (const [key, value] of [
    [PLUGIN_KEYS[0], global],
    [PLUGIN_KEYS[1], passErrors],
  ] as const) {
    if (typeof value !== 'boolean')
      throw new TypeError(`@tokengate/fastify: ${key} must be a boolean`);
  }
  if (verifier !== undefined) {
    if (typeof verifier?.authenticate !== 'function') {
      throw new TypeError('@tokengate/fastify: verifier must be a verifier from createVerifier()');
    }
    if (Object.keys(rest).length > 0) {
      throw new TypeError(
        `@tokengate/fastify: pass either a verifier or verifier options, not both (got ${Object.keys(rest).join(', ')})`,
      );
    }
  }
  return { settings: { global, passErrors }, verifier, verifierOptions: rest as VerifierOptions };
}
