import { HttpException } from '@nestjs/common';
import type { ErrorBody, TokengateError } from '@tokengate/core';

/**
 * The `HttpException` the guard throws for an authentication failure: the core error's
 * status and JSON body, the core error itself as `cause`, and its headers
 * (`WWW-Authenticate`, `Retry-After`) as `headers` for filters that render their own reply.
 *
 * @example
 * @Catch(TokengateHttpException)
 * class AuthLogFilter extends BaseExceptionFilter {
 *   catch(e: TokengateHttpException, host: ArgumentsHost) { log(e.cause.code); super.catch(e, host); }
 * }
 */
export class TokengateHttpException extends HttpException {
  /** The core error (`MissingTokenError`, `TokenExpiredError`, ...). */
  declare readonly cause: TokengateError;
  /** Response headers the error calls for (already set on HTTP responses by the guard). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(error: TokengateError) {
    const { status, headers, body } = error.toResponse();
    super(body, status, { cause: error, description: error.message });
    // Nest would name an object-bodied exception after its class; logs want the reason.
    this.message = error.message;
    this.headers = headers;
  }

  /** The core's JSON body (`error`, `error_description`, `code`). */
  override getResponse(): ErrorBody {
    return super.getResponse() as ErrorBody;
  }
}
