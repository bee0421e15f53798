import 'reflect-metadata';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { runConformance } from '@tokengate/conformance';
import { describe } from 'vitest';
import {
  type HttpsOptions,
  startNest,
} from '../../../packages/nestjs/src/test-support/conformance-app.js';

// Nest's Fastify platform takes TLS options in its adapter, not in `httpsOptions`.
describe.each([
  ['express', () => new ExpressAdapter()],
  ['fastify', (https?: HttpsOptions) => new FastifyAdapter(https && { https })],
] as const)('Nest 11 on %s', (name, adapter) => {
  // Nest's guard always authenticates before it checks scopes: no `/guard-only` route.
  runConformance(
    `@tokengate/nestjs (Nest 11, ${name})`,
    (app, tls) => startNest(app, adapter, tls),
    { standaloneGuards: false },
  );
});
