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
    if (this.getMetadata<boolean>(PUBLIC_KEY, context)) return true;
    const request = this.getRequest(context);
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

  /** Route metadata, the handler's overriding the class's. */
  protected getMetadata<T>(key: string, context: ExecutionContext): T | undefined {
    return this.reflector.getAllAndOverride<T | undefined>(key, [
      context.getHandler(),
      context.getClass(),
    ]);
  }

  /** Run the route's scope and claim checks. An anonymous request cannot meet them: 401. */
  protected authorize(auth: AuthInfo | null, context: ExecutionContext): void {
    const checks = [SCOPES_KEY, ANY_SCOPE_KEY, CLAIMS_KEY]
      .map((key) => this.getMetadata<AuthCheck>(key, context))
      .filter((check): check is AuthCheck => check !== undefined);
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
