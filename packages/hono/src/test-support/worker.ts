// The conformance app as a Cloudflare Worker. Verifier options arrive as JSON bindings and
// go through the per-request options factory (the Workers way: config from `c.env`); the
// handler reports that it ran through the `x-tokengate-hit` header and the auth in the body
// (absent when `undefined`, as JSON has no `undefined`), and the Node-side proxy (workerd.ts)
// turns that into `app.hit(route, auth)`.
import type { VerifierOptions } from '@tokengate/core';
import type { Context, Hono } from 'hono';
import { conformanceApp, type Respond } from './conformance-app.js';

interface Bindings {
  OPTIONS: string;
  DOWN_OPTIONS: string;
  DEFAULT_OPTIONS: string;
  /** The DPoP and mTLS routes' options by route, as one JSON object. */
  SENDER_ROUTES: string;
  /** The protected resource's options, when the worker serves its routes. */
  RESOURCE_OPTIONS?: string;
  /** `/resource-dpop`'s options. */
  RESOURCE_DPOP_OPTIONS?: string;
}

type C = Context<{ Bindings: Bindings }>;

// The routes are known when the worker starts; their options are read per request.
const SENDER_ROUTE_NAMES = [
  '/dpop',
  '/dpop-required',
  '/dpop-nonce',
  '/dpop-proxy',
  '/dpop-untrusted',
  '/mtls',
  '/mtls-required',
];
const senderRoute = (route: string) => (c: C) =>
  (JSON.parse(c.env.SENDER_ROUTES) as Record<string, VerifierOptions>)[route] as VerifierOptions;

const fromEnv =
  (name: keyof Bindings) =>
  (c: C): VerifierOptions =>
    JSON.parse(c.env[name] ?? '') as VerifierOptions;

const sources = {
  main: fromEnv('OPTIONS'),
  down: fromEnv('DOWN_OPTIONS'),
  defaults: fromEnv('DEFAULT_OPTIONS'),
  sender: Object.fromEntries(SENDER_ROUTE_NAMES.map((route) => [route, senderRoute(route)])),
};

const respond: Respond = (c, route, auth) =>
  c.json({ auth: auth && { ...auth, scopes: [...auth.scopes] } }, 200, {
    'x-tokengate-hit': route,
  });

// The metadata route's path comes from the resource's options, so the app is built from the
// bindings of the first request (they are the same for every request of a deployment).
let app: Hono<{ Bindings: Bindings }> | undefined;

export default {
  fetch(request: Request, env: Bindings, ctx: Parameters<Hono['fetch']>[2]) {
    app ??= conformanceApp(
      {
        ...sources,
        resource:
          env.RESOURCE_OPTIONS === undefined
            ? undefined
            : {
                verifier: JSON.parse(env.RESOURCE_OPTIONS) as VerifierOptions,
                dpop: fromEnv('RESOURCE_DPOP_OPTIONS'),
              },
      },
      respond,
    );
    return app.fetch(request, env, ctx);
  },
};
