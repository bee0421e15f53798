import { runConformance } from '@tokengate/conformance';
import { conformanceApp } from './test-support/conformance-app.js';
import { listen } from './test-support/node-server.js';
import { startWorkerProxy } from './test-support/workerd.js';

// Node: @hono/node-server on 127.0.0.1, main routes share the suite's prebuilt verifier.
runConformance('hono on Node (@hono/node-server)', (app, tls) =>
  listen(
    conformanceApp(
      {
        main: app.verifier,
        down: app.downOptions,
        defaults: app.defaultOptions,
        sender: { ...app.dpopRoutes, ...app.mtlsRoutes },
        resource: { verifier: app.resourceOptions, dpop: app.resourceDpopOptions },
      },
      (c, route, auth) => c.json(app.hit(route, auth) as object),
    ),
    tls,
  ),
);

// Cloudflare workerd (miniflare): options reach the worker as JSON bindings, read per request.
// A worker sees no socket: no proxy can be trusted by its address, no client certificate read.
runConformance('hono on Cloudflare workerd (miniflare)', (app) => startWorkerProxy(app, app.hit), {
  peerAddress: false,
  mutualTls: false,
});
