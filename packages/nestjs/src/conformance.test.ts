import 'reflect-metadata';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { runConformance } from '@tokengate/conformance';
import { describe } from 'vitest';
import { type HttpsOptions, startNest } from './test-support/conformance-app.js';

// Each platform, given the HTTPS options of the mutual-TLS run where it takes them.
const platforms = [
  ['express', () => new ExpressAdapter()],
  ['fastify', (https?: HttpsOptions) => new FastifyAdapter(https && { https })],
] as const;

describe.each(platforms)('Nest 12 on %s', (name, adapter) => {
  // Nest's guard always authenticates before it checks scopes: no `/guard-only` route.
  runConformance(
    `@tokengate/nestjs (Nest 12, ${name})`,
    (app, tls) => startNest(app, adapter, tls),
    {
      standaloneGuards: false,
    },
  );
});
