import 'reflect-metadata';
import { runConformance } from '@tokengate/conformance';
import { describe } from 'vitest';
import { startNest } from './test-support/conformance-app.js';
import { platforms } from './test-support/http.js';

describe.each(platforms)('Nest 12 on %s', (name, adapter) => {
  // Nest's guard always authenticates before it checks scopes: no `/guard-only` route.
  runConformance(`@tokengate/nestjs (Nest 12, ${name})`, (app) => startNest(app, adapter), {
    standaloneGuards: false,
  });
});
