/**
 * Plain `node:http` servers: `jwtAuth(options)(handler)` and the guards.
 *
 * @module @tokengate/node
 */
export * from '../../node/src/index.js';
