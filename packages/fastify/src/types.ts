import type {
  AuthInfo,
  ClaimRequirements,
  RegisteredClaims,
  ScopeMode,
  ToolScopes,
} from '@tokengate/core';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { TokengateRouteConfig } from './options.js';

/**
 * A hook the plugin hands out, in Fastify's callback style: use it as `onRequest`
 * (authentication) or `preHandler` (scope and claim checks). It calls `done` when the request
 * may go on, and answers the refusal itself otherwise.
 *
 * @example
 * app.get('/me', { onRequest: app.authenticate }, (request) => request.auth);
 */
export type TokengateHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified token on routes the plugin protects; `undefined` when optional auth let
     * the request through without one, and on routes the plugin does not protect. Frozen, so
     * read-only in the types; the claims are typed by `Tokengate.Register`.
     */
    auth: AuthInfo<RegisteredClaims> | undefined;
  }
  interface FastifyInstance {
    /** Verify the request's bearer token; use as `{ onRequest: app.authenticate }`. */
    authenticate: TokengateHook;
    /**
     * A `preHandler` that answers 403 `insufficient_scope` unless the token has the scopes
     * (all of them, or any with `'any'`); 500 where no authentication of this registration ran.
     */
    requireScopes(scopes: string | readonly string[], mode?: ScopeMode): TokengateHook;
    /**
     * A `preHandler` that answers 401 `invalid_token` unless the claims meet the requirements;
     * 500 where no authentication of this registration ran.
     */
    requireClaims(expected: ClaimRequirements): TokengateHook;
    /**
     * A `preHandler` for an MCP endpoint: 403 `insufficient_scope` with `scope="…"` unless the
     * token has the scopes of every tool a JSON-RPC `tools/call` in the body names; 400
     * `invalid_request` for a body that is not JSON-RPC 2.0; 500 where no authentication of
     * this registration ran.
     */
    requireToolScopes(toolScopes: ToolScopes): TokengateHook;
  }
  interface FastifyContextConfig {
    /** Per-route tokengate settings. */
    tokengate?: TokengateRouteConfig;
  }
}
