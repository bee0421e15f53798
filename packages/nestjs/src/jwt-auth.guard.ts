import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  type AuthInfo,
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
  constructor(
    @Inject(TOKENGATE_VERIFIER) protected readonly verifier: Verifier,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context);
    // The guard is the only writer of `request.auth`: whatever ran before it (a middleware, an
    // earlier guard) cannot pass for a verified token on a public or optional route.
    clearAuth(request);
    if (this.isPublic(context)) return true;
    try {
      const optional = this.getMetadata<OptionalMode | false>(OPTIONAL_KEY, context);
      const auth = await this.verifier.authenticate(
        this.toTokenRequest(request),
        optional === undefined ? undefined : { optional },
      );
      this.authorize(auth, context);
      if (auth) request.auth = auth;
      return true;
    } catch (error) {
      return this.handleError(error, context);
    }
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
    const checks = REQUIREMENT_KEYS.map((key) => this.getMetadata<AuthCheck>(key, context)).filter(
      (check): check is AuthCheck => check !== undefined,
    );
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
