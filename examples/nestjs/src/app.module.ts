import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard, TokengateModule } from '@tokengate/nestjs';
import type { ExampleDeps } from '@tokengate-examples/shared';
import { ApiController } from './api.controller.js';
import { AUTH_SERVICE, AuthController } from './auth.controller.js';

/** The application: tokengate from the example's verifier options, the guard on every route. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: Nest's dynamic-module idiom (`AppModule.forRoot()`)
export class AppModule {
  /**
   * Build the module around an example's dependencies.
   *
   * @example
   * const app = await NestFactory.create(AppModule.forRoot(deps));
   */
  static forRoot({ service, verifier }: ExampleDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [TokengateModule.forRoot(verifier)],
      controllers: [AuthController, ApiController],
      providers: [
        { provide: AUTH_SERVICE, useValue: service },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
