/**
 * The identity provider the documentation trusts: a test issuer on 127.0.0.1 takes this
 * `iss` and `aud`, and the JWKS URL below is pointed at its server when a block runs.
 */
export const DOCS_ISSUER = 'https://id.example.com/';
export const DOCS_AUDIENCE = 'https://api.example.com';
const DOCS_JWKS_URI = "'https://id.example.com/.well-known/jwks.json'";

// The line that starts the server in each framework, as the docs write it, and what replaces
// it when the block runs: port 0 on 127.0.0.1, the node:http server exported for the test.
const LISTEN: Readonly<Record<string, string>> = {
  'app.listen(3000);': "export const server = app.listen(0, '127.0.0.1');",
  'server.listen(3000);': "server.listen(0, '127.0.0.1');\nexport { server };",
  'await app.listen({ port: 3000 });':
    "await app.listen({ port: 0, host: '127.0.0.1' });\nexport const server = app.server;",
  'serve({ fetch: app.fetch, port: 3000 });':
    "export const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });",
  'await app.listen(3000);':
    "await app.listen(0, '127.0.0.1');\nexport const server = app.getHttpServer();",
};

/** A documentation block made ready to run. */
export interface Runnable {
  code: string;
  /** The block starts a server on 3000, now on a free port and exported as `server`. */
  listens: boolean;
}

/**
 * A block's code with the docs' JWKS URL pointed at `jwksUri` and its listen line (a whole
 * line from the table above, at most one) moved to a free port on 127.0.0.1.
 *
 * @example
 * toRunnable("…jwksUri: 'https://id.example.com/.well-known/jwks.json'…\napp.listen(3000);", url);
 * // { code: '…jwksUri: "http://127.0.0.1:…"…\nexport const server = app.listen(0, …);', listens: true }
 */
export function toRunnable(code: string, jwksUri: string): Runnable {
  const lines = code.split('\n');
  const listen = lines.findIndex((line) => line.trim() in LISTEN);
  if (listen !== -1) lines[listen] = LISTEN[(lines[listen] ?? '').trim()] ?? '';
  return {
    code: lines.join('\n').replaceAll(DOCS_JWKS_URI, JSON.stringify(jwksUri)),
    listens: listen !== -1,
  };
}
