import {
  Controller,
  type DynamicModule,
  Get,
  Header,
  HttpCode,
  Module,
  Options,
} from '@nestjs/common';
import type { Verifier, VerifierOptions } from '@tokengate/core';
import { protectedResourceRouteOf } from '@tokengate/core/adapter';
import { Public } from './decorators.js';

/**
 * What {@link ProtectedResourceModule.forRoot} takes: a verifier configured with `resource`
 * (the one given to `TokengateModule.forRoot`), or verifier options with `resource` (only
 * the members the document describes are read, so `forRootAsync` apps can pass them here).
 *
 * @example
 * ProtectedResourceModule.forRoot({ verifier });
 */
export type ProtectedResourceModuleOptions = VerifierOptions | { verifier: Verifier<unknown> };

// The controller's path is the resource's: known when the module is declared, so the class is
// made then, with Nest's own route decorators.
function metadataController(source: Verifier<unknown> | VerifierOptions) {
  const route = protectedResourceRouteOf(source);
  const found = route.answer('GET');
  const preflight = route.answer('OPTIONS');
  const headers = (answer: typeof found) =>
    Object.entries(answer.headers).map(([name, value]) => Header(name, value));

  @Public()
  @Controller()
  class ProtectedResourceController {
    @Get(route.path)
    metadata(): Readonly<Record<string, unknown>> {
      return route.document;
    }

    @Options(route.path)
    @HttpCode(204)
    preflight(): void {}
  }
  // Applied by hand: the header lists come from the configuration.
  const prototype = ProtectedResourceController.prototype;
  for (const [method, answer] of [
    ['metadata', found],
    ['preflight', preflight],
  ] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, method) as PropertyDescriptor;
    for (const decorate of headers(answer)) decorate(prototype, method, descriptor);
  }
  return ProtectedResourceController;
}

/**
 * Serves the RFC 9728 protected-resource metadata at its well-known path
 * (`/.well-known/oauth-protected-resource` followed by the resource's path), on the Express
 * and Fastify platforms alike: GET and HEAD answer the JSON document, readable from any origin
 * (`Access-Control-Allow-Origin: *`); OPTIONS answers the CORS preflight. The route is
 * `@Public()`, so a global `JwtAuthGuard` lets clients read it without a token. With a global
 * prefix, exclude the path: `app.setGlobalPrefix('api', { exclude: ['.well-known/(.*)'] })`.
 * Throws `TypeError` here when `resource` is missing or invalid.
 *
 * @example
 * const verifier = createVerifier({ ...options, resource: { resource: 'https://api.example.com/mcp', authorizationServers: ['https://id.example.com/'] } });
 * @Module({
 *   imports: [TokengateModule.forRoot({ verifier }), ProtectedResourceModule.forRoot({ verifier })],
 *   providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
 * })
 * export class AppModule {}
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with forRoot
export class ProtectedResourceModule {
  /**
   * The module with the metadata controller of `options`.
   *
   * @example
   * ProtectedResourceModule.forRoot({ verifier });
   */
  static forRoot(options: ProtectedResourceModuleOptions): DynamicModule {
    if (options === null || typeof options !== 'object')
      throw new TypeError(
        'ProtectedResourceModule.forRoot() expects { verifier } or verifier options',
      );
    const source = 'verifier' in options ? options.verifier : options;
    return { module: ProtectedResourceModule, controllers: [metadataController(source)] };
  }
}
