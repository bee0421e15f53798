import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard, TokengateModule } from '@tokengate/nestjs';
import type { AppConfig } from './config.js';
import { ThingsController, ThingsService } from './things.controller.js';

const APP_CONFIG = 'APP_CONFIG';

/** Provides the configuration, as `@nestjs/config`'s `ConfigModule` would. */
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

/** The application: tokengate configured from `APP_CONFIG`, the guard on every route. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: Nest's dynamic-module idiom (`AppModule.forRoot()`)
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TokengateModule.forRootAsync({
          imports: [ConfigModule.forRoot(config)],
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => c.auth,
        }),
      ],
      controllers: [ThingsController],
      providers: [ThingsService, { provide: APP_GUARD, useClass: JwtAuthGuard }],
    };
  }
}
