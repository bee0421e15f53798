import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  curlCommands,
  depsFromConfig,
  type ExampleDeps,
  type ListenOptions,
  type RunningApi,
  runMain,
} from '@tokengate-examples/shared';
import { AppModule } from './app.module.js';
import { BodyErrorFilter } from './body-error.filter.js';
import { loadNestConfig } from './config.js';

/** Options of {@link start}. */
export interface NestStartOptions {
  /** `express` (default) or `fastify`. */
  platform?: 'express' | 'fastify';
  /** Nest's console logger. Default false, which keeps the demo table readable. */
  logger?: boolean;
}

/**
 * Create the Nest app on a platform and listen.
 *
 * @example
 * const app = await bootstrap(deps, { port: 0 }, { platform: 'fastify' });
 */
export async function bootstrap(
  deps: ExampleDeps,
  { port, host = '127.0.0.1' }: ListenOptions,
  { platform = 'express', logger = false }: NestStartOptions = {},
): Promise<INestApplication> {
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule.forRoot(deps), adapter, {
    ...(logger ? {} : { logger: false }),
    forceCloseConnections: true,
  });
  if (platform === 'express') app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.useGlobalFilters(new BodyErrorFilter(app.getHttpAdapter()));
  await app.listen(port, host);
  return app;
}

/**
 * Start the Nest example and resolve once it listens.
 *
 * @example
 * const api = await start(deps, { port: 0 }); // api.url, api.close()
 */
export async function start(
  deps: ExampleDeps,
  listen: ListenOptions,
  options: NestStartOptions = {},
): Promise<RunningApi> {
  const app = await bootstrap(deps, listen, options);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, close: () => app.close() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain('tokengate Nest example', async () => {
    const config = loadNestConfig();
    const app = await bootstrap(await depsFromConfig(config), config, {
      platform: config.platform,
      logger: true,
    });
    app.enableShutdownHooks();
    console.log(
      `tokengate Nest example listening on ${await app.getUrl()} (issuer ${config.issuer})\n`,
    );
    console.log(curlCommands(config.publicUrl));
  });
}
