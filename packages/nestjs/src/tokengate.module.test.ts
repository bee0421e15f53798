import 'reflect-metadata';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  Inject,
  Injectable,
  Module,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost, NestFactory } from '@nestjs/core';
import { createVerifier, type TokengateError, type Verifier } from '@tokengate/core';
import { bearer } from '@tokengate/testing/mint';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKENGATE_VERIFIER } from './constants.js';
import { Auth } from './decorators.js';
import { TokengateHttpException } from './exception.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { get, platforms, start } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';
import { TokengateModule } from './tokengate.module.js';

const CONFIG = 'AUTH_CONFIG';

@Module({ providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] })
class ConfigModule {}

/** Renders its own body, the way applications customise errors; reads the core error. */
@Catch(HttpException)
class UserFilter implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}
  catch(exception: HttpException, host: ArgumentsHost) {
    const cause = exception.cause as TokengateError | undefined;
    const body = {
      custom: true,
      code: cause?.code,
      isTokengate: exception instanceof TokengateHttpException,
    };
    this.host.httpAdapter.reply(host.switchToHttp().getResponse(), body, exception.getStatus());
  }
}

@UseGuards(JwtAuthGuard)
@Controller('guarded')
class GuardedController {
  @Get()
  get(@Auth('sub') sub: string) {
    return { sub };
  }
}

@Injectable()
class VerifierUser {
  constructor(@Inject(TOKENGATE_VERIFIER) readonly verifier: Verifier) {}
}

@Module({ providers: [VerifierUser], exports: [VerifierUser] })
class FeatureModule {}

@Module({
  imports: [
    TokengateModule.forRootAsync({
      imports: [ConfigModule],
      inject: [CONFIG],
      useFactory: (config: typeof options) => config,
    }),
    FeatureModule,
  ],
  controllers: [GuardedController],
  providers: [{ provide: APP_FILTER, useClass: UserFilter }, VerifierUser],
})
class AsyncModule {}

describe.each(platforms)('TokengateModule on %s', (_name, adapter) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('configures the verifier from forRootAsync and guards a controller with @UseGuards()', async () => {
    const server = await start(AsyncModule, adapter);
    close = server.close;
    const res = await get(`${server.baseUrl}/guarded`, bearer(await mint({ sub: 'alice' })));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ sub: 'alice' });
  });

  it('lets a user exception filter render the error, read the core error from cause, and keep WWW-Authenticate', async () => {
    const server = await start(AsyncModule, adapter);
    close = server.close;
    const res = await get(`${server.baseUrl}/guarded`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.json()).toEqual({ custom: true, code: 'ERR_TOKEN_MISSING', isTokengate: true });
  });
});

describe('TokengateModule providers', () => {
  it('provides one verifier per application, shared by every module (one JWKS cache)', async () => {
    const app = await NestFactory.createApplicationContext(AsyncModule, { logger: false });
    const a = app.get(VerifierUser).verifier;
    const b = app.select(FeatureModule).get(VerifierUser).verifier;
    expect(a).toBe(b);
    expect(a).toBe(app.get(TOKENGATE_VERIFIER));
    await app.close();
  });

  it('uses a prebuilt verifier given as { verifier }', async () => {
    const verifier = createVerifier(options);
    @Module({ imports: [TokengateModule.forRoot({ verifier })] })
    class PrebuiltModule {}
    const app = await NestFactory.createApplicationContext(PrebuiltModule, { logger: false });
    expect(app.get(TOKENGATE_VERIFIER)).toBe(verifier);
    await app.close();
  });

  it('is not global with isGlobal: false', async () => {
    @Module({ providers: [VerifierUser] })
    class Feature {}
    @Module({ imports: [TokengateModule.forRoot({ ...options, isGlobal: false }), Feature] })
    class LocalModule {}
    await expect(
      NestFactory.createApplicationContext(LocalModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(/TOKENGATE_VERIFIER/);
  });

  it('fails to start with a TypeError for options the core refuses', async () => {
    @Module({ imports: [TokengateModule.forRoot({ ...options, algorithms: [] })] })
    class BadModule {}
    await expect(
      NestFactory.createApplicationContext(BadModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(TypeError);
  });
});
