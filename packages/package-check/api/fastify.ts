/**
 * The Fastify plugin: `app.authenticate`, route `config.tokengate` and a typed `request.auth`.
 *
 * @module @tokengate/fastify
 */
export * from '../../fastify/src/index.js';
