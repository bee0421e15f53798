import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

// A body the platform could not parse: body-parser's errors on Express (`type: 'entity.…'`),
// `FST_ERR_CTP_…` on Fastify. Both platforms wrap them in an HttpException (as its `cause`)
// with their 4xx status; 413 (too large) is kept.
function bodyErrorStatus(exception: unknown): number | undefined {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  if (typeof cause !== 'object' || !cause) return undefined;
  const { type, code, status, statusCode } = cause as Record<string, unknown>;
  const fromParser =
    (typeof type === 'string' && type.startsWith('entity.')) ||
    (typeof code === 'string' && code.startsWith('FST_ERR_CTP_'));
  if (!fromParser) return undefined;
  return (status ?? statusCode) === 413 ? 413 : 400;
}

/**
 * Answers an unreadable request body (broken JSON, too large) with the examples' shared
 * `{ error: 'invalid_request', error_description }` body on either platform; every other
 * exception goes to Nest's default handling.
 *
 * @example
 * app.useGlobalFilters(new BodyErrorFilter(app.getHttpAdapter()));
 */
@Catch()
export class BodyErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const status = bodyErrorStatus(exception);
    if (status === undefined) {
      super.catch(exception, host);
      return;
    }
    const description = status === 413 ? 'Body too large' : 'Body must be a JSON object';
    const response = host.switchToHttp().getResponse();
    this.applicationRef?.reply(
      response,
      { error: 'invalid_request', error_description: description },
      status,
    );
  }
}
