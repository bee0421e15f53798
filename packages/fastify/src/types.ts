import type { AuthInfo, ClaimRequirements, RegisteredClaims, ScopeMode } from '@tokengate/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokengateRouteConfig } from './options.js';

/**
 * A hook the plugin hands out: use it as `onRequest` (authentication) or `preHandler`
 * (scope and claim checks). Resolves to the reply when it has answered an error.
 *
 * @example
 * app.get('/me', { onRequest: app.authenticate }, (request) => request.auth);
 */
export type TokengateHook = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified token on routes the plugin protects; `null` when optional auth let the
     * request through without one, or when the route is not protected.
     */
    auth: AuthInfo<RegisteredClaims> | null;
  }
  interface FastifyInstance {
    /** Verify the request's bearer token; use as `{ onRequest: app.authenticate }`. */
    authenticate: TokengateHook;
    /** A `preHandler` that answers 403 `insufficient_scope` unless the token has the scopes. */
    requireScopes(scopes: string | readonly string[], mode?: ScopeMode): TokengateHook;
    /** A `preHandler` that answers 401 `invalid_token` unless the claims have these values. */
    requireClaims(expected: ClaimRequirements): TokengateHook;
  }
  interface FastifyContextConfig {
    /** Per-route tokengate settings. */
    tokengate?: TokengateRouteConfig;
  }
}
