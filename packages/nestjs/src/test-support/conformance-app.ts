// The conformance routes (packages/conformance/src/contract.ts) as a Nest app. Shared by the
// Nest 12 run (this package) and the Nest 11 run (examples/nestjs-11), so it imports Nest by
// name and each run resolves its own major.
import {
  Controller,
  type DynamicModule,
  Get,
  Inject,
  Injectable,
  Module,
  UseGuards,
} from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory, Reflector } from '@nestjs/core';
import { type AuthInfo, createVerifier, type Verifier } from '@tokengate/core';
import {
  AnyScope,
  Auth,
  type MaybeAuth,
  OptionalAuth,
  Public,
  RequireClaims,
  Scopes,
} from '../decorators.js';
import { JwtAuthGuard } from '../jwt-auth.guard.js';
import { ProtectedResourceModule } from '../protected-resource.module.js';
import { TokengateModule } from '../tokengate.module.js';

/** The slice of the conformance contract's `ConformanceApp` the Nest app uses. */
export interface ConformanceAppLike {
  verifier: Verifier;
  downOptions: Parameters<typeof createVerifier>[0];
  /** Every option at its default: the default realm, no query extraction. */
  defaultOptions: Parameters<typeof createVerifier>[0];
  /** The DPoP routes (`/dpop`, …), each with the options of its own verifier. Default: none. */
  dpopRoutes?: Readonly<Record<string, Parameters<typeof createVerifier>[0]>>;
  /** The certificate-bound token routes (`/mtls`, …), each with its own verifier's options. Default: none. */
  mtlsRoutes?: Readonly<Record<string, Parameters<typeof createVerifier>[0]>>;
  /**
   * A protected resource: the options of its metadata route (`ProtectedResourceModule`),
   * `/resource` and `/resource-scoped`. Default: none of these routes.
   */
  resourceOptions?: Parameters<typeof createVerifier>[0];
  /** `/resource-dpop`'s options, with `resourceOptions`. */
  resourceDpopOptions?: Parameters<typeof createVerifier>[0];
  /** Receives `request.auth` as the handler sees it: `undefined` when there is no auth. */
  hit(route: string, auth: AuthInfo | null | undefined): unknown;
}

const APP = 'CONFORMANCE_APP';
const DOWN_VERIFIER = 'CONFORMANCE_DOWN_VERIFIER';
const DEFAULTS_VERIFIER = 'CONFORMANCE_DEFAULTS_VERIFIER';

@UseGuards(JwtAuthGuard)
@Controller()
class ConformanceController {
  constructor(@Inject(APP) private readonly app: ConformanceAppLike) {}

  @Get('protected')
  protected(@Auth() auth: AuthInfo) {
    return this.app.hit('/protected', auth);
  }

  @Scopes('read:things')
  @Get('scoped')
  scoped(@Auth() auth: AuthInfo) {
    return this.app.hit('/scoped', auth);
  }

  @AnyScope('admin', 'write:things')
  @Get('scoped-any')
  scopedAny(@Auth() auth: AuthInfo) {
    return this.app.hit('/scoped-any', auth);
  }

  @RequireClaims({ org: 'acme' })
  @Get('claims')
  claims(@Auth() auth: AuthInfo) {
    return this.app.hit('/claims', auth);
  }

  @OptionalAuth()
  @Get('optional')
  optional(@Auth() auth: MaybeAuth) {
    return this.app.hit('/optional', auth);
  }

  @OptionalAuth('allow-invalid')
  @Get('lenient')
  lenient(@Auth() auth: MaybeAuth) {
    return this.app.hit('/lenient', auth);
  }

  @Public()
  @Get('public')
  public(@Auth() auth: MaybeAuth) {
    return this.app.hit('/public', auth);
  }
}

/** A guard over another verifier: the documented way to subclass `JwtAuthGuard`. */
@Injectable()
class DownGuard extends JwtAuthGuard {
  constructor(@Inject(DOWN_VERIFIER) verifier: Verifier, @Inject(Reflector) reflector: Reflector) {
    super(verifier, reflector);
  }
}

@UseGuards(DownGuard)
@Controller()
class DownController {
  constructor(@Inject(APP) private readonly app: ConformanceAppLike) {}

  @Get('down')
  down(@Auth() auth: AuthInfo) {
    return this.app.hit('/down', auth);
  }
}

/** A guard over the verifier built from `defaultOptions`. */
@Injectable()
class DefaultsGuard extends JwtAuthGuard {
  constructor(
    @Inject(DEFAULTS_VERIFIER) verifier: Verifier,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super(verifier, reflector);
  }
}

@UseGuards(DefaultsGuard)
@Controller()
class DefaultsController {
  constructor(@Inject(APP) private readonly app: ConformanceAppLike) {}

  @Get('defaults')
  defaults(@Auth() auth: AuthInfo) {
    return this.app.hit('/defaults', auth);
  }
}

/**
 * A controller serving one DPoP or mTLS route behind a guard over its own verifier: `dpop`,
 * `mtls` and `trustProxy` pass through the verifier options; the guard's view gives the socket's
 * address and the TLS client certificate.
 */
function senderController(route: string, verifier: Verifier, app: ConformanceAppLike) {
  @UseGuards(new JwtAuthGuard(verifier, new Reflector()))
  @Controller()
  class SenderController {
    @Get(route.slice(1))
    handle(@Auth() auth: AuthInfo) {
      return app.hit(route, auth);
    }
  }
  return SenderController;
}

/**
 * The protected resource's routes behind a guard over its verifier: the scope is declared with
 * `@Scopes()`, which the guard checks with the authentication, so its 401 names it.
 */
function resourceController(verifier: Verifier, app: ConformanceAppLike) {
  @UseGuards(new JwtAuthGuard(verifier, new Reflector()))
  @Controller()
  class ResourceController {
    @Get('resource')
    resource(@Auth() auth: AuthInfo) {
      return app.hit('/resource', auth);
    }

    @Scopes('read:things')
    @Get('resource-scoped')
    scoped(@Auth() auth: AuthInfo) {
      return app.hit('/resource-scoped', auth);
    }
  }
  return ResourceController;
}

// The metadata module and the routes of the protected resource, when the app has one.
function resourceParts(app: ConformanceAppLike) {
  if (app.resourceOptions === undefined) return { imports: [], controllers: [] };
  const verifier = createVerifier(app.resourceOptions);
  const dpop = app.resourceDpopOptions ?? app.resourceOptions;
  return {
    imports: [ProtectedResourceModule.forRoot({ verifier })],
    controllers: [
      resourceController(verifier, app),
      senderController('/resource-dpop', createVerifier(dpop), app),
    ],
  };
}

function conformanceModule(app: ConformanceAppLike): DynamicModule {
  @Module({})
  class ConformanceModule {}
  const resource = resourceParts(app);
  return {
    module: ConformanceModule,
    imports: [TokengateModule.forRoot({ verifier: app.verifier }), ...resource.imports],
    controllers: [
      ...resource.controllers,
      ConformanceController,
      DownController,
      DefaultsController,
      ...Object.entries({ ...app.dpopRoutes, ...app.mtlsRoutes }).map(([route, options]) =>
        senderController(route, createVerifier(options), app),
      ),
    ],
    providers: [
      { provide: APP, useValue: app },
      { provide: DOWN_VERIFIER, useValue: createVerifier(app.downOptions) },
      { provide: DEFAULTS_VERIFIER, useValue: createVerifier(app.defaultOptions) },
    ],
  };
}

/**
 * `node:https` server options: the Express platform takes them from `httpsOptions`, the Fastify
 * platform from its adapter (`new FastifyAdapter({ https })`).
 */
export interface HttpsOptions {
  key: string;
  cert: string;
  ca?: string;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

/**
 * Start the conformance app on a platform, listening on 127.0.0.1:0 (HTTPS with `tls`; the
 * `adapter` factory receives it, for platforms that take it there).
 *
 * @example
 * runConformance('nestjs/express', (app) => startNest(app, () => new ExpressAdapter()));
 */
export async function startNest(
  app: ConformanceAppLike,
  adapter: (https?: HttpsOptions) => object,
  tls?: HttpsOptions,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const nest = await NestFactory.create(
    conformanceModule(app),
    adapter(tls) as AbstractHttpAdapter,
    {
      logger: false,
      abortOnError: false,
      ...(tls === undefined ? {} : { httpsOptions: tls }),
    },
  );
  await nest.listen(0, '127.0.0.1');
  const { port } = nest.getHttpServer().address() as { port: number };
  return { baseUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, close: () => nest.close() };
}
