import { Body, Controller, Get, Inject, Post, Res } from '@nestjs/common';
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

  @Post(ROUTES.login)
  async login(@Body() body: unknown, @Res() res: unknown): Promise<void> {
    this.send(res, await this.service.login(body));
  }

  @Post(ROUTES.refresh)
  async refresh(@Body() body: unknown, @Res() res: unknown): Promise<void> {
    this.send(res, await this.service.refresh(body));
  }

  @Get(ROUTES.jwks)
  jwks(@Res() res: unknown): void {
    this.send(res, this.service.jwks());
  }
}
