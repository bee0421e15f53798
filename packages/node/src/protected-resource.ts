import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Verifier, VerifierOptions } from '@tokengate/core';
import { protectedResourceRouteOf } from '@tokengate/core/adapter';

/**
 * A `node:http` request handler answering the RFC 9728 protected-resource metadata, and the
 * path it belongs at.
 *
 * @example
 * const metadata: ProtectedResourceHandler = protectedResourceRoute(verifier);
 * if (new URL(req.url ?? '/', 'http://x').pathname === metadata.path) return metadata(req, res);
 */
export interface ProtectedResourceHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Where to route to it: `/.well-known/oauth-protected-resource` followed by the resource's path. */
  readonly path: string;
}

/**
 * A handler serving the RFC 9728 protected-resource metadata of a verifier (or verifier
 * options) configured with `resource`. Route the requests for its `path` to it: GET and HEAD
 * answer the JSON document, readable from any origin (`Access-Control-Allow-Origin: *`);
 * OPTIONS answers the CORS preflight; other methods get 405. Clients read it without a token,
 * so do not wrap it in `jwtAuth()`. Throws `TypeError` here when `resource` is missing or
 * invalid.
 *
 * @example
 * const metadata = protectedResourceRoute(verifier);
 * const protect = jwtAuth(verifier);
 * createServer((req, res) => {
 *   if (new URL(req.url ?? '/', 'http://x').pathname === metadata.path) return metadata(req, res);
 *   protect((_req, res, auth) => res.end(auth.claims.sub))(req, res);
 * });
 */
export function protectedResourceRoute(
  source: Verifier<unknown> | VerifierOptions,
): ProtectedResourceHandler {
  const route = protectedResourceRouteOf(source);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const { status, headers, body } = route.answer(req.method ?? 'GET');
    // Node leaves the body out of a HEAD answer by itself, and keeps its Content-Length.
    if (body === undefined) res.writeHead(status, headers).end();
    else
      res
        .writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) })
        .end(body);
  };
  return Object.assign(handler, { path: route.path });
}
