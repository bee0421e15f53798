import 'reflect-metadata';
import { type CanActivate, Controller, Get, Injectable, Module, Req } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard, TokengateModule } from '@tokengate/nestjs';
import { listenNest } from './listen.js';
import { promiseOnlyVerifier, reply, type ServerFactory, tokenCache } from './types.js';

@Controller()
class BareController {
  @Get()
  get() {
    return reply(undefined);
  }
}

@Controller()
class TokengateController {
  @Get()
  get(@Req() req: { auth?: { claims: { sub?: string } } }) {
    return reply(req.auth?.claims.sub);
  }
}

/** A global guard that lets everything through: what any guard costs in Nest. */
@Injectable()
class NoopGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

function tokengate(cache: boolean): ServerFactory {
  return (config) => {
    @Module({
      imports: [
        TokengateModule.forRoot({ ...config, algorithms: ['RS256'], cache: tokenCache(cache) }),
      ],
      controllers: [TokengateController],
      providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
    })
    class AppModule {}
    return listenNest(AppModule);
  };
}

/** NestJS 12 on the Express platform: the bare server and ours (cache on and off). */
export const servers: Record<string, ServerFactory> = {
  bare: () => {
    @Module({ controllers: [BareController] })
    class AppModule {}
    return listenNest(AppModule);
  },
  noop: () => {
    @Module({
      controllers: [BareController],
      providers: [{ provide: APP_GUARD, useClass: NoopGuard }],
    })
    class AppModule {}
    return listenNest(AppModule);
  },
  tokengate: tokengate(true),
  'tokengate-nocache': tokengate(false),
  'tokengate-promise': (config) => {
    @Module({
      imports: [TokengateModule.forRoot({ verifier: promiseOnlyVerifier(config) })],
      controllers: [TokengateController],
      providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
    })
    class AppModule {}
    return listenNest(AppModule);
  },
};
