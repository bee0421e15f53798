import 'reflect-metadata';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { runConformance } from '@tokengate/conformance';
import { describe } from 'vitest';
import { startNest } from '../../../packages/nestjs/src/test-support/conformance-app.js';

describe.each([
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const)('Nest 11 on %s', (name, adapter) => {
  // Nest's guard always authenticates before it checks scopes: no `/guard-only` route.
  runConformance(`@tokengate/nestjs (Nest 11, ${name})`, (app) => startNest(app, adapter), {
    standaloneGuards: false,
  });
});
