import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthInfo } from '@tokengate/core';
import {
  AnyScope,
  Auth,
  type AuthClaim,
  OptionalAuth,
  Public,
  RequireClaims,
  Scopes,
} from '../decorators.js';
import { JwtAuthGuard } from '../jwt-auth.guard.js';
import { TokengateModule } from '../tokengate.module.js';
import { options } from './tokens.js';

/** Handlers that ran, so tests can assert a refused request never reached one. */
export const ran: string[] = [];

const summary = (auth: AuthInfo | undefined) =>
  auth ? { sub: auth.claims.sub, scopes: [...auth.scopes].sort() } : null;

@Scopes('read:things')
@Controller('things')
export class ThingsController {
  @Get('list')
  list(@Auth() auth: AuthInfo) {
    ran.push('list');
    return summary(auth);
  }

  @Scopes('write:things')
  @Get('write')
  write() {
    ran.push('write');
    return { ok: true };
  }

  @AnyScope('admin', 'write:things')
  @Get('any')
  any() {
    ran.push('any');
    return { ok: true };
  }

  @Public()
  @Get('open')
  open(@Auth() auth: AuthInfo | undefined) {
    ran.push('open');
    return { auth: auth ?? null };
  }
}

@Controller('me')
export class MeController {
  @Get()
  me(@Auth() auth: AuthInfo, @Auth('sub') sub: AuthClaim<'sub'>) {
    ran.push('me');
    return { ...summary(auth), claimSub: sub, header: auth.header.alg };
  }

  @OptionalAuth()
  @Get('optional')
  optional(@Auth() auth: AuthInfo | undefined) {
    ran.push('optional');
    return { auth: summary(auth) };
  }

  @OptionalAuth('allow-invalid')
  @Get('lenient')
  lenient(@Auth() auth: AuthInfo | undefined) {
    ran.push('lenient');
    return { auth: summary(auth) };
  }

  @OptionalAuth()
  @Scopes('read:things')
  @Get('optional-scoped')
  optionalScoped() {
    ran.push('optional-scoped');
    return { ok: true };
  }

  @RequireClaims({ org: 'acme' })
  @Get('acme')
  acme(@Auth('org') org: AuthClaim<'org'>) {
    ran.push('acme');
    return { org };
  }
}

@Public()
@Controller('docs')
export class DocsController {
  @Get()
  docs() {
    ran.push('docs');
    return { docs: true };
  }

  @Public(false)
  @Get('drafts')
  drafts(@Auth('sub') sub: AuthClaim<'sub'>) {
    ran.push('drafts');
    return { sub };
  }
}

/** An app guarded globally through `APP_GUARD`. */
@Module({
  imports: [TokengateModule.forRoot(options)],
  controllers: [ThingsController, MeController, DocsController],
  providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
})
export class GlobalGuardModule {}

@OptionalAuth()
@Controller('feed')
export class FeedController {
  @Get()
  feed(@Auth() auth: AuthInfo | undefined) {
    ran.push('feed');
    return { auth: summary(auth) };
  }

  @OptionalAuth(false)
  @Get('mine')
  mine(@Auth() auth: AuthInfo) {
    ran.push('mine');
    return { auth: summary(auth) };
  }
}

/** Optional auth for the whole app from the module options; one route requires it again. */
@Module({
  imports: [TokengateModule.forRoot({ ...options, optional: 'allow-missing' })],
  controllers: [FeedController, MeController],
  providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
})
export class OptionalAppModule {}
