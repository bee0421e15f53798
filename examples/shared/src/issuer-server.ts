import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AuthService, JsonResponse } from './auth-service.js';
import { listening } from './listen.js';
import { healthBody, type ListenOptions, ROUTES, type RunningApi } from './routes.js';

const MAX_BODY_BYTES = 16 * 1024;

// Only an `application/json` body is read, as in the example APIs; anything else (or broken
// JSON, or more than 16 KiB) reaches the service as `undefined`: 400 invalid_request.
async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, answer: JsonResponse): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(answer.body));
}

async function route(service: AuthService, req: IncomingMessage): Promise<JsonResponse> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === ROUTES.jwks) return service.jwks();
  if (req.method === 'GET' && path === ROUTES.health) {
    return { status: 200, headers: {}, body: healthBody('issuer') };
  }
  if (req.method === 'POST' && path === ROUTES.login) return service.login(await readJson(req));
  if (req.method === 'POST' && path === ROUTES.refresh) return service.refresh(await readJson(req));
  return { status: 404, headers: {}, body: { error: 'not_found' } };
}

/** A running issuer server and the service it serves. */
export interface IssuerServer extends RunningApi {
  service: AuthService;
}

/**
 * Serve an {@link AuthService} on its own (plain `node:http`): the identity service of the
 * demo, whose JWK Set the four APIs fetch and cache like any remote identity provider's.
 * Pass a factory to build the service once the URL (its natural `iss`) is known.
 *
 * @example
 * const issuer = await startIssuerServer((url) => createAuthService({ issuer: url, audience }), { port: 0 });
 * // issuer.url + '/.well-known/jwks.json'
 */
export async function startIssuerServer(
  service: AuthService | ((url: string) => AuthService | Promise<AuthService>),
  options: ListenOptions,
): Promise<IssuerServer> {
  let current: AuthService | undefined = typeof service === 'function' ? undefined : service;
  const server = createServer((req, res) => {
    if (!current) return send(res, { status: 503, headers: {}, body: { error: 'starting' } });
    route(current, req).then(
      (answer) => send(res, answer),
      () => send(res, { status: 500, headers: {}, body: { error: 'server_error' } }),
    );
  });
  const host = options.host ?? '127.0.0.1';
  const { url, close } = await listening(server.listen(options.port, host), host);
  try {
    current ??= await (service as (url: string) => AuthService | Promise<AuthService>)(url);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close, service: current };
}
