// The metadata route's answers, written once for every adapter: the same headers, the same
// CORS preflight and the same refusal of other methods in each framework.
import type { VerifierOptions } from '../options.js';
import type { Verifier } from '../verifier-types.js';
import { type ProtectedResourceMetadata, protectedResourceMetadata } from './metadata.js';

/**
 * One answer of the metadata route: status, headers and the body text (`undefined`: none).
 *
 * @example
 * const { status, headers, body } = route.answer(req.method);
 */
export interface MetadataAnswer {
  readonly status: 200 | 204 | 405;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/**
 * The metadata of {@link protectedResourceMetadata} with the route's answer to each method.
 *
 * @example
 * const route = protectedResourceRouteOf(verifier);
 * server.on('request', (req, res) => { if (req.url === route.path) { const a = route.answer(req.method ?? 'GET'); res.writeHead(a.status, a.headers).end(a.body); } });
 */
export interface ProtectedResourceRoute extends ProtectedResourceMetadata {
  /**
   * GET and HEAD: 200 with the JSON document (a server leaves the body out of a HEAD answer);
   * OPTIONS: 204, the CORS preflight; anything else: 405 with `Allow`.
   */
  answer(method: string): MetadataAnswer;
}

/** The methods the metadata route answers. */
const ALLOW = 'GET, HEAD, OPTIONS';

// Browser-based clients (MCP inspectors, web agents) read the document cross-origin, and it
// holds nothing secret: any origin may read it. It changes only with the deployment.
const CORS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
});

/**
 * The metadata route of a verifier (or verifier options) with `resource`, ready for an
 * adapter to serve at its `path`. Throws a `TypeError` as {@link protectedResourceMetadata}
 * does. Build it once, when the route is declared.
 *
 * @example
 * const route = protectedResourceRouteOf(verifier);
 * app.all(route.path, (req, res) => { const a = route.answer(req.method); res.status(a.status).set(a.headers).send(a.body); });
 */
export function protectedResourceRouteOf(
  from: Verifier<unknown> | VerifierOptions,
): ProtectedResourceRoute {
  const metadata = protectedResourceMetadata(from);
  const json = JSON.stringify(metadata.document);
  const found: MetadataAnswer = Object.freeze({
    status: 200,
    headers: Object.freeze({
      ...CORS,
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=3600',
    }),
    body: json,
  });
  const preflight: MetadataAnswer = Object.freeze({
    status: 204,
    headers: Object.freeze({
      ...CORS,
      'Access-Control-Allow-Methods': ALLOW,
      // MCP clients send `MCP-Protocol-Version` with the request, which needs a preflight.
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Max-Age': '86400',
    }),
    body: undefined,
  });
  const notAllowed: MetadataAnswer = Object.freeze({
    status: 405,
    headers: Object.freeze({ ...CORS, Allow: ALLOW }),
    body: undefined,
  });
  function answer(method: string): MetadataAnswer {
    const upper = method.toUpperCase();
    if (upper === 'GET' || upper === 'HEAD') return found;
    return upper === 'OPTIONS' ? preflight : notAllowed;
  }
  return Object.freeze({ ...metadata, answer });
}
