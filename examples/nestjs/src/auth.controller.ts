import { Body, Controller, Get, Headers, Inject, Post, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '@tokengate/nestjs';
import { type AuthService, type JsonResponse, ROUTES } from '@tokengate-examples/shared';

/**
 * Injection token of the example's {@link AuthService}.
 *
 * @example
 * providers: [{ provide: AUTH_SERVICE, useValue: service }]
 */
export const AUTH_SERVICE = 'AUTH_SERVICE';

const isJson = (type: string | undefined): boolean =>
  /^application\/json\s*(;|$)/i.test(type ?? '');

const NOT_JSON: JsonResponse = {
  status: 400,
  headers: { 'Cache-Control': 'no-store' },
  body: { error: 'invalid_request', error_description: 'Body must be a JSON object' },
};

/** The issuing side: login, refresh and the JWK Set, all public. */
@Public()
@Controller()
export class AuthController {
  // `@Inject()` names each dependency, so the example also runs under tsx/esbuild, which
  // does not emit decorator metadata.
  constructor(
    @Inject(AUTH_SERVICE) private readonly service: AuthService,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {}

  // The answers carry their own status and headers; the HTTP adapter writes them the same
  // way on Express and Fastify.
  private send(res: unknown, answer: JsonResponse): void {
    const adapter = this.host.httpAdapter;
    for (const [name, value] of Object.entries(answer.headers)) adapter.setHeader(res, name, value);
    adapter.reply(res, answer.body, answer.status);
  }

  // Nest also parses form and text bodies; like the other examples, only JSON is read.
  @Post(ROUTES.login)
  async login(
    @Body() body: unknown,
    @Headers('content-type') type: string | undefined,
    @Res() res: unknown,
  ): Promise<void> {
    this.send(res, isJson(type) ? await this.service.login(body) : NOT_JSON);
  }

  @Post(ROUTES.refresh)
  async refresh(
    @Body() body: unknown,
    @Headers('content-type') type: string | undefined,
    @Res() res: unknown,
  ): Promise<void> {
    this.send(res, isJson(type) ? await this.service.refresh(body) : NOT_JSON);
  }

  @Get(ROUTES.jwks)
  jwks(@Res() res: unknown): void {
    this.send(res, this.service.jwks());
  }
}
