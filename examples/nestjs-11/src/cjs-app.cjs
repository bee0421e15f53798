// A Nest 11 application in plain CommonJS, the way `nest new` apps compile. It loads
// @tokengate/nestjs through `require` (the dist/index.cjs build), serves one guarded route on
// 127.0.0.1 on the platform named in argv[2], calls it, and prints what it saw as JSON.
'use strict';
require('reflect-metadata');
const { Controller, Get, HttpException, Module } = require('@nestjs/common');
const { APP_GUARD, NestFactory } = require('@nestjs/core');
const tokengate = require('@tokengate/nestjs');

const { Auth, JwtAuthGuard, MissingTokenError, Scopes, TokengateHttpException, TokengateModule } =
  tokengate;

class MeController {
  me(sub) {
    return { sub };
  }
}
Reflect.decorate(
  [Get('me'), Scopes('read:me')],
  MeController.prototype,
  'me',
  Object.getOwnPropertyDescriptor(MeController.prototype, 'me'),
);
Auth('sub')(MeController.prototype, 'me', 0);
Reflect.decorate([Controller()], MeController);

class AppModule {}
Reflect.decorate(
  [
    Module({
      imports: [
        TokengateModule.forRoot({
          secret: process.env.SECRET,
          // The test token carries no `iss` or `aud`: this app is about loading the CJS build.
          issuer: false,
          audience: false,
          algorithms: ['HS256'],
          realm: 'api',
        }),
      ],
      controllers: [MeController],
      providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
    }),
  ],
  AppModule,
);

function platform(name) {
  if (name === 'fastify') return new (require('@nestjs/platform-fastify').FastifyAdapter)();
  return new (require('@nestjs/platform-express').ExpressAdapter)();
}

async function main() {
  const app = await NestFactory.create(AppModule, platform(process.argv[2]), { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const call = async (headers) => {
    const res = await fetch(`${base}/me`, { headers });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate'),
      body: await res.json(),
    };
  };
  const result = {
    entry: require.resolve('@tokengate/nestjs'),
    nest: require('@nestjs/core/package.json').version,
    sameNest: new TokengateHttpException(new MissingTokenError()) instanceof HttpException,
    ok: await call({ authorization: `Bearer ${process.env.TOKEN}` }),
    missing: await call({}),
  };
  await app.close();
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
