import {
  type CustomDecorator,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import type { AuthInfo, ClaimRequirements, OptionalMode, RegisteredClaims } from '@tokengate/core';
import { compileRouteRules, type RoutePolicy } from '@tokengate/core/adapter';
import { ANY_SCOPE_KEY, CLAIMS_KEY, OPTIONAL_KEY, PUBLIC_KEY, SCOPES_KEY } from './constants.js';

// Checked when the class is defined: misuse is a TypeError naming the decorator.
function rule(key: string, policy: RoutePolicy, decorator: string): CustomDecorator<string> {
  return SetMetadata(key, compileRouteRules(policy, decorator));
}

/**
 * Skip authentication for a controller or route: the guard lets every request through and
 * leaves `request.auth` `undefined`. On a method it overrides the class; `@Public(false)` makes
 * one method of a public controller authenticate again. A `@Scopes()`, `@AnyScope()` or
 * `@RequireClaims()` on the same method or class, or on a method of a public class, wins:
 * that route still authenticates.
 *
 * @example
 * @Public() @Get('health') health() { return 'ok'; }
 */
export function Public(isPublic = true): CustomDecorator<string> {
  return SetMetadata(PUBLIC_KEY, isPublic);
}

/**
 * Make authentication optional. `'allow-missing'` (default): no token passes without auth,
 * a bad token is still refused; `'allow-invalid'`: a missing or invalid token passes;
 * `false`: required, overriding an `optional` module option or a class decorator.
 *
 * @example
 * @OptionalAuth() @Get('feed') feed(@Auth() auth: MaybeAuth) { return auth ? 'mine' : 'all'; }
 */
export function OptionalAuth(
  mode: OptionalMode | false = 'allow-missing',
): CustomDecorator<string> {
  return rule(OPTIONAL_KEY, { optional: mode }, '@OptionalAuth()');
}

/**
 * Require every listed scope (403 `insufficient_scope` otherwise). On a method it replaces
 * the class's `@Scopes()`; it combines with `@AnyScope()`. A scope that is not an RFC 6749
 * §3.3 scope-token throws `TypeError` when the class is defined.
 *
 * @example
 * @Scopes('read:things') @Get('things') list() {}
 */
export function Scopes(...scopes: [string, ...string[]]): CustomDecorator<string> {
  return rule(SCOPES_KEY, { scopes }, '@Scopes()');
}

/**
 * Require at least one of the listed scopes (403 `insufficient_scope` otherwise).
 *
 * @example
 * @AnyScope('admin', 'write:things') @Post('things') create() {}
 */
export function AnyScope(...scopes: [string, ...string[]]): CustomDecorator<string> {
  return rule(ANY_SCOPE_KEY, { scopes, scopeMode: 'any' }, '@AnyScope()');
}

/**
 * Require claim values (401 `invalid_token` naming the claim otherwise), with core's
 * requirements: a value (an array claim must contain it), `{ includes }`, `{ oneOf }` or a
 * predicate. A malformed requirement throws `TypeError` when the class is defined.
 *
 * @example
 * @RequireClaims({ org: 'acme', roles: { includes: 'admin' } }) @Get('acme') acme() {}
 */
export function RequireClaims(expected: ClaimRequirements): CustomDecorator<string> {
  return rule(CLAIMS_KEY, { claims: expected }, '@RequireClaims()');
}

/**
 * Names of the claims an application registered (any string when none were registered).
 *
 * @example
 * const name: ClaimName = 'sub';
 */
export type ClaimName = keyof RegisteredClaims & string;

/**
 * The type of one registered claim, to annotate an `@Auth('name')` parameter: read-only, like
 * the frozen claims it comes from (an array claim is a `readonly` array).
 *
 * @example
 * me(@Auth('org') org: AuthClaim<'org'>) {}
 */
export type AuthClaim<K extends ClaimName> = AuthInfo['claims'][K];

/**
 * What `@Auth()` injects: the verified token, or `undefined` ("no auth") on a `@Public()`
 * route, on an `@OptionalAuth()` route without a valid token, and where no guard ran.
 *
 * @example
 * @OptionalAuth() @Get('feed') feed(@Auth() auth: MaybeAuth) { return auth?.claims.sub; }
 */
export type MaybeAuth<C = RegisteredClaims> = AuthInfo<C> | undefined;

/**
 * The request shape the guard writes to: `request.auth` on Express and Fastify.
 *
 * @example
 * @Get() list(@Req() req: Request & AuthenticatedRequest) { return req.auth?.claims.sub; }
 */
export interface AuthenticatedRequest {
  auth?: AuthInfo;
}

const authParam = createParamDecorator((claim: string | undefined, context: ExecutionContext) => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>()?.auth;
  if (claim === undefined) return auth;
  return (auth?.claims as Record<string, unknown> | undefined)?.[claim];
});

/**
 * Inject the verified token ({@link MaybeAuth}), or with a claim name that claim's value.
 * Nest cannot type a parameter from its decorator: annotate `MaybeAuth` (or
 * `AuthClaim<'sub'> | undefined`) where the token may be absent, and `AuthInfo` only on
 * routes where `JwtAuthGuard` requires one.
 *
 * @example
 * @Get('me') me(@Auth() auth: AuthInfo, @Auth('sub') sub: AuthClaim<'sub'>) { return { sub }; }
 */
export function Auth(claim?: ClaimName): ParameterDecorator {
  return claim === undefined ? authParam() : authParam(claim);
}
