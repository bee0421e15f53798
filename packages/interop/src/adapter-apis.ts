// One protected route, `/things`, served by each adapter the way an application writes it:
// Express middleware, a Fastify plugin and hook, a Hono middleware, a Nest guard. Each listens
// on 127.0.0.1 first, so that its verifier options can name its own origin (DPoP `htu`).
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { type AuthInfo, createVerifier, type VerifierOptions } from '@tokengate/core';
import { jwtAuth as expressAuth } from '@tokengate/express';
import { tokengate } from '@tokengate/fastify';
import { jwtAuth as honoAuth } from '@tokengate/hono';
import { Auth, JwtAuthGuard } from '@tokengate/nestjs';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { close, listen } from './net.js';

/** The adapters under test. */
export const ADAPTERS = ['express', 'fastify', 'hono', 'nestjs'] as const;
export type Adapter = (typeof ADAPTERS)[number];

/** What the handler answers: who the token is for and what it may do. */
export interface Seen {
  sub?: string;
  client_id?: string;
  scopes: string[];
  jkt?: string;
  header: Record<string, unknown>;
}

export interface AdapterApi {
  /** `http://127.0.0.1:<port>/things`. */
  readonly url: URL;
  close(): Promise<void>;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const seen = (auth: AuthInfo | undefined): Seen => ({
  sub: auth?.claims.sub,
  client_id: auth?.claims.client_id as string | undefined,
  scopes: [...(auth?.scopes ?? [])].sort(),
  jkt: auth?.binding?.jkt,
  header: { ...auth?.header },
});

function expressApp(options: VerifierOptions): Listener {
  const app = express();
  app.get('/things', expressAuth(options), (req, res) => {
    res.json(seen(req.auth));
  });
  return app;
}

async function fastifyApp(options: VerifierOptions): Promise<Listener> {
  let listener: Listener | undefined;
  // Fastify's own request handler, served by our server (which already listens).
  const app = Fastify({
    serverFactory: (handler) => {
      listener = handler;
      return createServer(handler);
    },
  });
  await app.register(tokengate, options);
  app.get('/things', { onRequest: app.authenticate }, async (request) => seen(request.auth));
  await app.ready();
  return listener as Listener;
}

function honoApp(options: VerifierOptions): Listener {
  const app = new Hono();
  app.get('/things', honoAuth(options), (c) => c.json(seen(c.var.auth)));
  return getRequestListener(app.fetch);
}

// Nest's decorators, applied as calls (this package compiles without decorator metadata).
async function nestApp(options: VerifierOptions): Promise<Listener> {
  class ThingsController {
    things(auth: AuthInfo) {
      return seen(auth);
    }
  }
  const method = Object.getOwnPropertyDescriptor(ThingsController.prototype, 'things');
  if (method === undefined) throw new Error('no handler');
  const guard = new JwtAuthGuard(createVerifier(options), new Reflector());
  Get()(ThingsController.prototype, 'things', method);
  UseGuards(guard)(ThingsController.prototype, 'things', method);
  Auth()(ThingsController.prototype, 'things', 0);
  Controller('things')(ThingsController);
  class AppModule {}
  Module({ controllers: [ThingsController] })(AppModule);
  const server = express();
  const app = await NestFactory.create(AppModule, new ExpressAdapter(server), { logger: false });
  await app.init();
  return server;
}

const build: Record<Adapter, (options: VerifierOptions) => Listener | Promise<Listener>> = {
  express: expressApp,
  fastify: fastifyApp,
  hono: honoApp,
  nestjs: nestApp,
};

/** Start `adapter`'s app on 127.0.0.1 (port 0) with the options `optionsFor(origin)` gives. */
export async function startAdapterApi(
  adapter: Adapter,
  optionsFor: (origin: string) => VerifierOptions,
): Promise<AdapterApi> {
  let listener: Listener | undefined;
  const server = createServer((req, res) => {
    if (listener === undefined) return res.writeHead(503).end();
    listener(req, res);
  });
  const origin = `http://127.0.0.1:${await listen(server)}`;
  listener = await build[adapter](optionsFor(origin));
  return { url: new URL('/things', origin), close: () => close(server) };
}
