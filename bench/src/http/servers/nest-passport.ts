import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { listenNest } from './listen.js';
import { reply, type ServerConfig, type ServerFactory } from './types.js';

// The NestJS docs' recipe: @nestjs/passport + passport-jwt, keys from jwks-rsa (cache and
// rate limit on, as jwks-rsa's README shows for passport-jwt).
function passportJwt(config: ServerConfig): Promise<number> {
  @Injectable()
  class JwtStrategy extends PassportStrategy(Strategy) {
    constructor() {
      super({
        secretOrKeyProvider: passportJwtSecret({
          jwksUri: config.jwksUri,
          cache: true,
          rateLimit: true,
        }),
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ['RS256'],
      });
    }
    validate(payload: unknown) {
      return payload;
    }
  }

  @Controller()
  @UseGuards(AuthGuard('jwt'))
  class PassportController {
    @Get()
    get(@Req() req: { user?: { sub?: string } }) {
      return reply(req.user?.sub);
    }
  }

  @Module({
    imports: [PassportModule],
    controllers: [PassportController],
    providers: [JwtStrategy],
  })
  class AppModule {}
  return listenNest(AppModule);
}

/** NestJS 12 peer: @nestjs/passport + passport-jwt + jwks-rsa. */
export const servers: Record<string, ServerFactory> = { 'passport-jwt': passportJwt };
