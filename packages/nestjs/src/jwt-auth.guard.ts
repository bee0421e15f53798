import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Verifier } from '@tokengate/core';
import {
  combineRouteRules,
  createGate,
  type Gate,
  type Refusal,
  type RequestView,
  type RouteRules,
} from '@tokengate/core/adapter';
import {
  ANY_SCOPE_KEY,
  CLAIMS_KEY,
  OPTIONAL_KEY,
  PUBLIC_KEY,
  SCOPES_KEY,
  TOKENGATE_VERIFIER,
} from './constants.js';
import type { AuthenticatedRequest } from './decorators.js';
import { TokengateHttpException } from './exception.js';
import { NestExchange, setHeaders } from './exchange.js';
import { type HttpRequestLike, toTokenRequest } from './request.js';

const REQUIREMENT_KEYS = [SCOPES_KEY, ANY_SCOPE_KEY, CLAIMS_KEY];
const RULE_KEYS = [OPTIONAL_KEY, ...REQUIREMENT_KEYS];
/** The cached answer for a public route: no authentication. */
const PUBLIC = null;

/**
 * Authenticates each request with the module's verifier, puts the token on
 * `request.auth`, and enforces `@Public()`, `@OptionalAuth()`, `@Scopes()`, `@AnyScope()` and
 * `@RequireClaims()` (a method's decorator overrides its class's of the same kind). A refusal
 * becomes a {@link TokengateHttpException}. Subclass it and override the `protected` members
 * for GraphQL or RPC contexts.
 *
 * @example
 * providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }]   // every route
 * @UseGuards(JwtAuthGuard) @Controller('things') class ThingsController {}   // one controller
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  // Decorator metadata is written once, when a class is defined, so the rules of one
  // (handler, class) pair never change: read on the route's first request only. Keyed by
  // class too, because an inherited handler serves every controller that extends its class.
  private readonly routes = new WeakMap<object, WeakMap<object, RouteRules | typeof PUBLIC>>();
  private readonly refuseWith = (refusal: Refusal, context: ExecutionContext): never =>
    this.refuse(refusal, context);

  /** The request protocol over {@link verifier}, built once. */
  protected readonly gate: Gate;

  constructor(
    @Inject(TOKENGATE_VERIFIER) protected readonly verifier: Verifier,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {
    this.gate = createGate(verifier);
  }

  /**
   * `true` itself when nothing was asynchronous (keys in memory, a cached token): Nest then
   * skips awaiting the guard. A refusal is thrown, synchronously or as a rejection.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    // The guard is the only writer of `request.auth`: what ran before it (a middleware, an
    // earlier guard) cannot pass for a verified token on a public or optional route.
    request.auth = undefined;
    const rules = this.routeRules(context);
    if (rules === PUBLIC) return true;
    const view = this.toTokenRequest(request);
    return this.gate.authenticate(new NestExchange(view, request, context, this.refuseWith), rules);
  }

  // A subclass overriding `isPublic` or `getMetadata` may decide per request: asked every time.
  private routeRules(context: ExecutionContext): RouteRules | typeof PUBLIC {
    const proto = JwtAuthGuard.prototype;
    if (this.isPublic !== proto.isPublic || this.getMetadata !== proto.getMetadata)
      return this.readRules(context);
    const handler = context.getHandler();
    const byClass = this.routes.get(handler) ?? new WeakMap();
    let rules = byClass.get(context.getClass());
    if (rules === undefined) {
      rules = this.readRules(context);
      byClass.set(context.getClass(), rules);
      this.routes.set(handler, byClass);
    }
    return rules;
  }

  private readRules(context: ExecutionContext): RouteRules | typeof PUBLIC {
    if (this.isPublic(context)) return PUBLIC;
    const parts = RULE_KEYS.map((key) => this.getMetadata<RouteRules>(key, context));
    return combineRouteRules(parts.filter((part) => part !== undefined));
  }

  /**
   * Whether the route skips authentication. A scope or claim requirement declared at the same
   * level as `@Public()` or below it wins (fail closed): `@Scopes()` on a method of a public
   * controller, or beside `@Public()` on the same method or class, still authenticates.
   */
  protected isPublic(context: ExecutionContext): boolean {
    const has = (target: Parameters<Reflector['get']>[1]) =>
      REQUIREMENT_KEYS.some((key) => this.reflector.get(key, target) !== undefined);
    const onHandler = this.reflector.get<boolean | undefined>(PUBLIC_KEY, context.getHandler());
    if (onHandler === false) return false;
    if (onHandler === true) return !has(context.getHandler());
    if (!this.reflector.get<boolean | undefined>(PUBLIC_KEY, context.getClass())) return false;
    return !has(context.getHandler()) && !has(context.getClass());
  }

  /** Route metadata (core's `RouteRules` for the rule keys), the handler's overriding the class's. */
  protected getMetadata<T>(key: string, context: ExecutionContext): T | undefined {
    return this.reflector.getAllAndOverride<T | undefined>(key, [
      context.getHandler(),
      context.getClass(),
    ]);
  }

  /** The request to authenticate. Override for GraphQL (`GqlExecutionContext`) or RPC. */
  protected getRequest(context: ExecutionContext): HttpRequestLike & AuthenticatedRequest {
    return context.switchToHttp().getRequest();
  }

  /** Core's view of the request (method, URL, headers, cookies, query). */
  protected toTokenRequest(request: HttpRequestLike): RequestView {
    return toTokenRequest(request);
  }

  /**
   * Answer a refused request: set the refusal's headers (`WWW-Authenticate`, `Retry-After`)
   * on an HTTP response and throw a {@link TokengateHttpException}. Override to throw
   * another exception (GraphQL, RPC).
   */
  protected refuse(refusal: Refusal, context: ExecutionContext): never {
    setHeaders(context, refusal.headers);
    throw new TokengateHttpException(refusal.error);
  }
}
