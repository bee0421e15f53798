import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  type AuthenticateOptions,
  type AuthInfo,
  isPromiseLike,
  isTokengateError,
  MissingTokenError,
  type OptionalMode,
  type TokenRequest,
  type Verifier,
} from '@tokengate/core';
import {
  ANY_SCOPE_KEY,
  CLAIMS_KEY,
  OPTIONAL_KEY,
  PUBLIC_KEY,
  SCOPES_KEY,
  TOKENGATE_VERIFIER,
} from './constants.js';
import type { AuthCheck, AuthenticatedRequest } from './decorators.js';
import { TokengateHttpException } from './exception.js';
import { type HttpRequestLike, toTokenRequest } from './request.js';

const REQUIREMENT_KEYS = [SCOPES_KEY, ANY_SCOPE_KEY, CLAIMS_KEY];

/** Whether a handler or class carries `@Scopes()`, `@AnyScope()` or `@RequireClaims()`. */
function hasRequirement(reflector: Reflector, target: Parameters<Reflector['get']>[1]): boolean {
  return REQUIREMENT_KEYS.some((key) => reflector.get(key, target) !== undefined);
}

/** What the guard needs to know about one route, read from its decorators. */
interface RouteMeta {
  readonly public: boolean;
  /** The `authenticate` options of the route's `@OptionalAuth()`, shared by its requests. */
  readonly options: AuthenticateOptions | undefined;
  readonly checks: readonly AuthCheck[];
}

function authenticateOptions(optional: OptionalMode | false | undefined) {
  return optional === undefined ? undefined : Object.freeze({ optional });
}

type Result = AuthInfo | null | PromiseLike<AuthInfo | null>;

/** `authenticateNow` when the verifier has it; a hand-made one may only have `authenticate`. */
function authenticate(
  verifier: Verifier,
  request: TokenRequest,
  options: AuthenticateOptions | undefined,
): Result {
  return typeof verifier.authenticateNow === 'function'
    ? verifier.authenticateNow(request, options)
    : verifier.authenticate(request, options);
}

/** Unset an `auth` someone else put on the request (adds no key when there is none). */
function clearAuth(request: AuthenticatedRequest | undefined): void {
  if (request && request.auth !== undefined) request.auth = undefined;
}

/** A response object the guard can set headers on: Express `Response` or Fastify `FastifyReply`. */
interface HeaderTarget {
  headersSent?: boolean;
  sent?: boolean;
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/**
 * Authenticates each request with the module's verifier, puts the `AuthInfo` on
 * `request.auth`, and enforces `@Public()`, `@OptionalAuth()`, `@Scopes()`, `@AnyScope()` and
 * `@RequireClaims()` (a method's decorator overrides its class's). Failures become a
 * {@link TokengateHttpException}. Subclass it and override the `protected` members for
 * GraphQL or RPC contexts.
 *
 * @example
 * providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }]   // every route
 * @UseGuards(JwtAuthGuard) @Controller('things') class ThingsController {}   // one controller
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  // Decorator metadata is written once, when a class is defined, so what the decorators of one
  // (handler, class) pair say never changes: read it on the route's first request only instead
  // of some ten Reflector lookups per request (issue 10). Keyed by class too, because an
  // inherited handler serves every controller that extends its class.
  private readonly metadataCache = new WeakMap<object, WeakMap<object, RouteMeta>>();

  constructor(
    @Inject(TOKENGATE_VERIFIER) protected readonly verifier: Verifier,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {}

  /**
   * `true` without a promise when the verifier answered synchronously (keys in memory, a
   * cached token): Nest's `GuardsConsumer` then skips awaiting the guard. A refusal is thrown,
   * synchronously or as a rejection.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    // The guard is the only writer of `request.auth`: whatever ran before it (a middleware, an
    // earlier guard) cannot pass for a verified token on a public or optional route.
    clearAuth(request);
    const route = this.cachedRoute(context);
    if (route ? route.public : this.isPublic(context)) return true;
    let result: Result;
    try {
      const options = route
        ? route.options
        : authenticateOptions(this.getMetadata<OptionalMode | false>(OPTIONAL_KEY, context));
      result = authenticate(this.verifier, this.toTokenRequest(request), options);
    } catch (error) {
      return this.handleError(error, context);
    }
    if (isPromiseLike(result)) return this.settle(result, request, context);
    return this.admit(result, request, context);
  }

  private async settle(
    pending: PromiseLike<AuthInfo | null>,
    request: AuthenticatedRequest,
    context: ExecutionContext,
  ): Promise<boolean> {
    let auth: AuthInfo | null;
    try {
      auth = await pending;
    } catch (error) {
      return this.handleError(error, context);
    }
    return this.admit(auth, request, context);
  }

  private admit(
    auth: AuthInfo | null,
    request: AuthenticatedRequest,
    context: ExecutionContext,
  ): true {
    try {
      this.authorize(auth, context);
      if (auth) request.auth = auth;
    } catch (error) {
      return this.handleError(error, context);
    }
    return true;
  }

  /**
   * The route's metadata from the cache, or `undefined` when it must be read per request: a
   * subclass overriding `isPublic` or `getMetadata` may decide per request, so it is asked
   * every time, as before.
   */
  private cachedRoute(context: ExecutionContext): RouteMeta | undefined {
    if (
      this.isPublic !== JwtAuthGuard.prototype.isPublic ||
      this.getMetadata !== JwtAuthGuard.prototype.getMetadata
    )
      return undefined;
    const handler: unknown = context.getHandler();
    const target: unknown = context.getClass();
    if (typeof handler !== 'function' || typeof target !== 'function') return undefined;
    let byClass = this.metadataCache.get(handler);
    if (byClass === undefined) {
      byClass = new WeakMap();
      this.metadataCache.set(handler, byClass);
    }
    let route = byClass.get(target);
    if (route === undefined) {
      route = Object.freeze({
        public: this.isPublic(context),
        options: authenticateOptions(this.getMetadata<OptionalMode | false>(OPTIONAL_KEY, context)),
        checks: this.readChecks(context),
      });
      byClass.set(target, route);
    }
    return route;
  }

  private readChecks(context: ExecutionContext): readonly AuthCheck[] {
    return Object.freeze(
      REQUIREMENT_KEYS.map((key) => this.getMetadata<AuthCheck>(key, context)).filter(
        (check): check is AuthCheck => check !== undefined,
      ),
    );
  }

  /**
   * Whether the route skips authentication. A scope or claim requirement declared at the same
   * level as `@Public()` or below it wins (fail closed): `@Scopes()` on a method of a public
   * controller, or beside `@Public()` on the same method or class, still authenticates.
   */
  protected isPublic(context: ExecutionContext): boolean {
    const onHandler = this.reflector.get<boolean | undefined>(PUBLIC_KEY, context.getHandler());
    if (onHandler === false) return false;
    if (onHandler === true) return !hasRequirement(this.reflector, context.getHandler());
    if (!this.reflector.get<boolean | undefined>(PUBLIC_KEY, context.getClass())) return false;
    return (
      !hasRequirement(this.reflector, context.getHandler()) &&
      !hasRequirement(this.reflector, context.getClass())
    );
  }

  /** Route metadata, the handler's overriding the class's. */
  protected getMetadata<T>(key: string, context: ExecutionContext): T | undefined {
    return this.reflector.getAllAndOverride<T | undefined>(key, [
      context.getHandler(),
      context.getClass(),
    ]);
  }

  /** Run the route's scope and claim checks. An anonymous request cannot meet them: 401. */
  protected authorize(auth: AuthInfo | null, context: ExecutionContext): void {
    const checks = this.cachedRoute(context)?.checks ?? this.readChecks(context);
    if (checks.length === 0) return;
    if (!auth) throw new MissingTokenError();
    for (const check of checks) check(auth);
  }

  /** The request to authenticate. Override for GraphQL (`GqlExecutionContext`) or RPC. */
  protected getRequest(context: ExecutionContext): HttpRequestLike & AuthenticatedRequest {
    return context.switchToHttp().getRequest();
  }

  /** Adapt the framework request to core's `TokenRequest` (headers, cookies, query). */
  protected toTokenRequest(request: HttpRequestLike): TokenRequest {
    return toTokenRequest(request);
  }

  /**
   * Turn a failure into what Nest answers: a core error gets its challenge options, its
   * headers on the response, and becomes a `TokengateHttpException`. Anything else is
   * rethrown unchanged (Nest answers 500 without details).
   */
  protected handleError(error: unknown, context: ExecutionContext): never {
    if (!isTokengateError(error)) throw error;
    const prepared = this.verifier.prepareError(error);
    this.setHeaders(context, prepared.headers);
    throw new TokengateHttpException(prepared);
  }

  /** Set `WWW-Authenticate` / `Retry-After` on an HTTP response (Express or Fastify). */
  protected setHeaders(context: ExecutionContext, headers: Record<string, string>): void {
    if (context.getType() !== 'http') return;
    const response = context.switchToHttp().getResponse<HeaderTarget | undefined>();
    if (!response || response.headersSent || response.sent) return;
    for (const [name, value] of Object.entries(headers)) {
      if (typeof response.header === 'function') response.header(name, value);
      else if (typeof response.setHeader === 'function') response.setHeader(name, value);
    }
  }
}
