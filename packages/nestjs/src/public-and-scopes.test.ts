import 'reflect-metadata';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  Module,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthInfo } from '@tokengate/core';
import { bearer, createSecretMinter } from '@tokengate/testing/mint';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AnyScope,
  Auth,
  type AuthenticatedRequest,
  OptionalAuth,
  Public,
  RequireClaims,
  Scopes,
} from './decorators.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { get, platforms, start } from './test-support/http.js';
import { TokengateModule } from './tokengate.module.js';

const minter = createSecretMinter({ subject: 'user-1' });
const ran: string[] = [];
const PLANTED = { token: 'planted', header: { alg: 'HS256' }, claims: { sub: 'mallory' } };

@Public()
@Controller('open')
class PublicController {
  @Get()
  index(@Auth() auth: AuthInfo | undefined) {
    ran.push('index');
    return { auth: auth?.claims.sub ?? null };
  }

  @Scopes('admin')
  @Get('scoped')
  scoped(@Auth('sub') sub: string) {
    ran.push('scoped');
    return { sub };
  }

  @AnyScope('admin', 'root')
  @Get('any')
  any() {
    ran.push('any');
    return { ok: true };
  }

  @RequireClaims({ org: 'acme' })
  @Get('claims')
  claims() {
    ran.push('claims');
    return { ok: true };
  }

  @Public()
  @Scopes('admin')
  @Get('contradiction')
  contradiction() {
    ran.push('contradiction');
    return { ok: true };
  }
}

@Public()
@Scopes('admin')
@Controller('contradictory-class')
class ContradictoryController {
  @Get()
  index() {
    ran.push('contradictory-class');
    return { ok: true };
  }
}

@Scopes('admin')
@Controller('scoped')
class ScopedController {
  @Public()
  @Get('health')
  health() {
    ran.push('health');
    return { ok: true };
  }
}

/** A guard that runs before JwtAuthGuard and plants an unverified `request.auth`. */
@Injectable()
class PlantingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.auth = { ...PLANTED, scopes: new Set(['admin']) } as unknown as AuthInfo;
    return true;
  }
}

@Controller('planted')
class PlantedController {
  @OptionalAuth('allow-invalid')
  @Get('lenient')
  lenient(@Auth() auth: AuthInfo | undefined) {
    ran.push('lenient');
    return { auth: auth?.claims.sub ?? null };
  }

  @Public()
  @Get('public')
  open(@Auth() auth: AuthInfo | undefined) {
    ran.push('public');
    return { auth: auth?.claims.sub ?? null };
  }
}

@Module({
  imports: [TokengateModule.forRoot({ ...minter.verifierOptions(), realm: 'api' })],
  controllers: [PublicController, ContradictoryController, ScopedController],
  providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
})
class PublicAppModule {}

@Module({
  imports: [TokengateModule.forRoot(minter.verifierOptions())],
  controllers: [PlantedController],
  providers: [
    { provide: APP_GUARD, useClass: PlantingGuard },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
})
class PlantedAppModule {}

describe.each(platforms)('@Public() and route requirements on %s', (_name, adapter) => {
  let server: Awaited<ReturnType<typeof start>>;
  const url = (path: string) => `${server.baseUrl}${path}`;

  beforeAll(async () => {
    server = await start(PublicAppModule, adapter);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    ran.length = 0;
  });

  it('keeps a method without requirements of a @Public() controller open', async () => {
    const res = await get(url('/open'));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ auth: null });
  });

  it.each([
    ['/open/scoped', '@Scopes()'],
    ['/open/any', '@AnyScope()'],
    ['/open/claims', '@RequireClaims()'],
  ])('refuses %s (a %s method of a @Public() controller) without a token with 401', async (path) => {
    const res = await get(url(path));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(ran).toEqual([]);
  });

  it('refuses a forged token on a @Scopes() method of a @Public() controller', async () => {
    const res = await get(
      url('/open/scoped'),
      bearer(await minter.mint({ scope: 'admin' }, { key: 'stranger' })),
    );
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_token' });
    expect(ran).toEqual([]);
  });

  it('answers 403 to a token without the scope and 200 to one with it', async () => {
    const without = await get(url('/open/scoped'), bearer(await minter.mint({ scope: 'read' })));
    expect(without.status).toBe(403);
    const withScope = await get(url('/open/scoped'), bearer(await minter.mint({ scope: 'admin' })));
    expect(withScope.status).toBe(200);
    expect(withScope.json()).toEqual({ sub: 'user-1' });
    expect(ran).toEqual(['scoped']);
  });

  it('lets the scopes win over @Public() on the same method', async () => {
    expect((await get(url('/open/contradiction'))).status).toBe(401);
    const ok = await get(url('/open/contradiction'), bearer(await minter.mint({ scope: 'admin' })));
    expect(ok.status).toBe(200);
    expect(ran).toEqual(['contradiction']);
  });

  it('lets the scopes win over @Public() on the same controller', async () => {
    expect((await get(url('/contradictory-class'))).status).toBe(401);
    expect(ran).toEqual([]);
  });

  it('keeps a @Public() method of a @Scopes() controller open', async () => {
    const res = await get(url('/scoped/health'));
    expect(res.status).toBe(200);
    expect(ran).toEqual(['health']);
  });
});

describe.each(platforms)('request.auth set before the guard on %s', (_name, adapter) => {
  let server: Awaited<ReturnType<typeof start>>;
  const url = (path: string) => `${server.baseUrl}${path}`;

  beforeAll(async () => {
    server = await start(PlantedAppModule, adapter);
  });
  afterAll(() => server.close());

  it("does not leave it in place when 'allow-invalid' passes a forged token", async () => {
    const forged = await minter.mint({ sub: 'mallory', scope: 'admin' }, { key: 'stranger' });
    const res = await get(url('/planted/lenient'), bearer(forged));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ auth: null });
  });

  it('replaces it with the verified token', async () => {
    const res = await get(url('/planted/lenient'), bearer(await minter.mint()));
    expect(res.json()).toEqual({ auth: 'user-1' });
  });

  it('does not leave it in place on a @Public() route', async () => {
    const res = await get(url('/planted/public'));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ auth: null });
  });
});
