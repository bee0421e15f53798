import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { Verifier, VerifierOptions } from '@tokengate/core';

/**
 * Options of `TokengateModule.forRoot()`: the core's verifier options, or a verifier you
 * built yourself with `createVerifier()` (to share it with code outside Nest).
 *
 * @example
 * TokengateModule.forRoot({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] });
 */
export type TokengateModuleOptions = VerifierOptions | { verifier: Verifier };

/**
 * Extra `forRoot` / `forRootAsync` options that shape the module itself.
 *
 * @example
 * TokengateModule.forRoot({ ...options, isGlobal: false });
 */
export interface TokengateModuleExtras {
  /** Register the module globally so every module can use the guard. Default `true`. */
  isGlobal: boolean;
}

const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: OPTIONS_TOKEN,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TokengateModuleOptions>({ moduleName: 'Tokengate' })
  .setClassMethodName('forRoot')
  .setExtras<TokengateModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

export { ConfigurableModuleClass };

/**
 * Injection token of the options given to `forRoot` / `forRootAsync`.
 *
 * @example
 * constructor(@Inject(MODULE_OPTIONS_TOKEN) options: TokengateModuleOptions) {}
 */
export const MODULE_OPTIONS_TOKEN: string | symbol = OPTIONS_TOKEN;

/**
 * What `TokengateModule.forRoot()` accepts: the options plus `isGlobal` (default `true`).
 *
 * @example
 * const options: TokengateForRootOptions = { secret, issuer, audience, algorithms: ['HS256'], isGlobal: false };
 */
export type TokengateForRootOptions = typeof OPTIONS_TYPE;

/**
 * What `TokengateModule.forRootAsync()` accepts: `imports`, `inject`, `useFactory` (or
 * `useClass` / `useExisting` with a `create()` method) plus `isGlobal`.
 *
 * @example
 * const options: TokengateForRootAsyncOptions = { inject: [ConfigService], useFactory: (c) => c.get('auth') };
 */
export type TokengateForRootAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
