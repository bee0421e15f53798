/**
 * Express middleware: `jwtAuth()`, `requireScopes()`, `requireClaims()` and a typed `req.auth`.
 *
 * @module @tokengate/express
 */
export * from '../../express/src/index.js';
