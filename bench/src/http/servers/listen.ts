import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Express } from 'express';
import type { FastifyInstance } from 'fastify';

/**
 * Listen on 127.0.0.1 (ephemeral port) and resolve to the port; one helper per framework.
 *
 * @example
 * const port = await listenExpress(app);
 */
export function listenExpress(app: Express): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve((server.address() as AddressInfo).port),
    );
  });
}

/** @example const port = await listenFastify(app); */
export async function listenFastify(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** @example const port = await listenHono(app.fetch); */
export function listenHono(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<number> {
  return new Promise((resolve) => {
    serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

/** Nest on its default (Express) platform, logger off. @example const port = await listenNest(AppModule); */
export async function listenNest(module: Type): Promise<number> {
  const app = await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  return ((app.getHttpServer() as Server).address() as AddressInfo).port;
}
