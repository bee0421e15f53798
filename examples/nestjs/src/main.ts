import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { type AppConfig, loadConfig } from './config.js';

/**
 * Create the app on the configured platform and listen.
 *
 * @example
 * const app = await bootstrap(loadConfig({ PORT: '0' }));
 */
export async function bootstrap(
  config: AppConfig = loadConfig(),
  options: { logger?: false } = {},
): Promise<INestApplication> {
  const adapter = config.platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule.forRoot(config), adapter, options);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await bootstrap();
  console.log(`tokengate Nest example listening on ${await app.getUrl()}`);
}
