import { Logger, Module } from '@nestjs/common';
import { createVerifier, type Verifier } from '@tokengate/core';
import { TOKENGATE_VERIFIER } from './constants.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  type TokengateModuleOptions,
} from './module-definition.js';

// A key source's outages are logged through Nest's logger unless the options name a `logger`.
function toVerifier(options: TokengateModuleOptions): Verifier {
  if ('verifier' in options) return options.verifier;
  if (options.logger !== undefined) return createVerifier(options);
  return createVerifier({ ...options, logger: new Logger('Tokengate') });
}

/**
 * Builds the application's one verifier (one JWKS cache) and provides it under
 * {@link TOKENGATE_VERIFIER}, together with {@link JwtAuthGuard}. Global by default.
 *
 * @example
 * // app.module.ts
 * @Module({
 *   imports: [TokengateModule.forRoot({ secret: process.env.JWT_SECRET, issuer: 'me', audience: 'api', algorithms: ['HS256'] })],
 *   providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
 * })
 * export class AppModule {}
 *
 * // or from configuration:
 * TokengateModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ jwksUri: config.getOrThrow('JWKS_URI'), issuer: config.getOrThrow('ISSUER') }),
 * });
 */
@Module({
  providers: [
    { provide: TOKENGATE_VERIFIER, useFactory: toVerifier, inject: [MODULE_OPTIONS_TOKEN] },
    JwtAuthGuard,
  ],
  exports: [TOKENGATE_VERIFIER, JwtAuthGuard],
})
export class TokengateModule extends ConfigurableModuleClass {}
