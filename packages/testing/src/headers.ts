/**
 * The `Authorization: Bearer <token>` header as a plain record, for `fetch` (`{ headers }`),
 * Hono's `app.request()`, Fastify's `inject()` or `node:http` requests.
 *
 * @example
 * await fetch(url, { headers: bearer(await minter.mint()) });
 */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
