import { runConformance } from '@tokengate/conformance';
import { conformanceApp } from './test-support/conformance-app.js';
import { listen } from './test-support/node-server.js';
import { startWorkerProxy } from './test-support/workerd.js';

// Node: @hono/node-server on 127.0.0.1, main routes share the suite's prebuilt verifier.
runConformance('hono on Node (@hono/node-server)', (app) =>
  listen(
    conformanceApp(
      { main: app.verifier, down: app.downOptions, defaults: app.defaultOptions },
      (c, route, auth) => c.json(app.hit(route, auth) as object),
    ),
  ),
);

// Cloudflare workerd (miniflare): options reach the worker as JSON bindings, read per request.
runConformance('hono on Cloudflare workerd (miniflare)', (app) => startWorkerProxy(app, app.hit));
