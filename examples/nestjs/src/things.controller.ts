import { Controller, Get, Inject, Injectable } from '@nestjs/common';
import { AnyScope, Auth, type AuthClaim, type AuthInfo, Public, Scopes } from '@tokengate/nestjs';

/** The example's data. */
@Injectable()
export class ThingsService {
  list() {
    return [{ id: 1, name: 'teapot' }];
  }
}

/** Every route needs a valid token (the guard is global) unless marked `@Public()`. */
@Controller()
export class ThingsController {
  // `@Inject()` names the dependency, so the example also runs under tsx/esbuild, which
  // does not emit decorator metadata.
  constructor(@Inject(ThingsService) private readonly things: ThingsService) {}

  @Public()
  @Get('public')
  public() {
    return { message: 'Anyone can read this.' };
  }

  @Get('me')
  me(@Auth() auth: AuthInfo, @Auth('sub') sub: AuthClaim<'sub'>) {
    return { sub, scopes: [...auth.scopes] };
  }

  @Scopes('read:things')
  @Get('things')
  list() {
    return { things: this.things.list() };
  }

  @AnyScope('admin', 'write:things')
  @Get('things/admin')
  admin(@Auth('sub') sub: AuthClaim<'sub'>) {
    return { sub, things: this.things.list().length };
  }
}
