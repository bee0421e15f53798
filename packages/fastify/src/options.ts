import {
  createVerifier,
  type TokengateLogger,
  type Verifier,
  type VerifierOptions,
} from '@tokengate/core';
import { isVerifier, type RoutePolicy } from '@tokengate/core/adapter';
import type { FastifyBaseLogger } from 'fastify';

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
   * Default `false`: only routes with `onRequest: app.authenticate` or `config.tokengate`
   * are protected.
   */
  global?: boolean;
  /**
   * Hand refusals to Fastify's error handler (your `setErrorHandler`) instead of answering
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
 * Per-route settings, read from the route's `config.tokengate`: core's route policy
 * (`optional`, `scopes`, `scopeMode`, `claims`) plus Fastify's opt-out.
 *
 * @example
 * app.get('/things', { config: { tokengate: { scopes: ['read:things'] } } }, handler);
 */
export interface TokengateRouteConfig extends RoutePolicy {
  /**
   * `false` leaves the route open under `global` mode; it cannot be combined with the other
   * keys. Default `true`.
   */
  auth?: boolean;
}

// Keys Fastify's `register` reads for itself; they are not verifier options.
const REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers'];

// pino (Fastify's logger) takes the details object first, core's logger the message.
function appLogger(log: FastifyBaseLogger): TokengateLogger {
  return {
    info: (message, details) => log.info(details, message),
    warn: (message, details) => log.warn(details, message),
    error: (message, details) => log.error(details, message),
  };
}

/**
 * Check the plugin options (`TypeError` on misuse) and build the verifier, logging through
 * `log` (the app's logger) unless the options name a `logger`.
 *
 * @example
 * const { verifier, global, passErrors } = readOptions(options, app.log);
 */
export function readOptions(
  options: TokengateOptions,
  log?: FastifyBaseLogger,
): Required<TokengatePluginSettings> & { verifier: Verifier<unknown> } {
  if (options === null || typeof options !== 'object')
    throw new TypeError('@tokengate/fastify: options must be an object');
  const { global = false, passErrors = false, verifier, ...rest } = options;
  for (const key of REGISTER_KEYS) delete (rest as Record<string, unknown>)[key];
  for (const [key, value] of Object.entries({ global, passErrors }))
    if (typeof value !== 'boolean')
      throw new TypeError(`@tokengate/fastify: ${key} must be a boolean`);
  if (verifier === undefined) {
    const own = rest as VerifierOptions;
    const logged = log && own.logger === undefined ? { ...own, logger: appLogger(log) } : own;
    return { verifier: createVerifier<unknown>(logged), global, passErrors };
  }
  if (!isVerifier(verifier))
    throw new TypeError('@tokengate/fastify: verifier must be a verifier from createVerifier()');
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new TypeError(
      `@tokengate/fastify: pass either a verifier or verifier options, not both (got ${extra.join(', ')})`,
    );
  return { verifier, global, passErrors };
}
