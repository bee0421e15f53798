/**
 * NestJS: `TokengateModule`, `JwtAuthGuard` and the route decorators.
 *
 * @module @tokengate/nestjs
 */
export * from '../../nestjs/src/index.js';
