/**
 * Hono middleware for Node, Bun, Deno and Workers: `jwtAuth()`, the guards and a typed `c.var.auth`.
 *
 * @module @tokengate/hono
 */
export * from '../../hono/src/index.js';
