import { Controller, Get } from '@nestjs/common';
import { Auth, type AuthClaim, type AuthInfo, Public, Scopes } from '@tokengate/nestjs';
import { ADMIN_SCOPE, adminBody, healthBody, ROUTES } from '@tokengate-examples/shared';

/** Every route needs a valid token (the guard is global) unless marked `@Public()`. */
@Controller()
export class ApiController {
  @Public()
  @Get(ROUTES.health)
  health() {
    return healthBody('nestjs');
  }

  @Get(ROUTES.me)
  me(@Auth() auth: AuthInfo) {
    return auth.claims;
  }

  @Scopes(ADMIN_SCOPE)
  @Get(ROUTES.admin)
  admin(@Auth('sub') sub: AuthClaim<'sub'>) {
    return adminBody(sub);
  }
}
