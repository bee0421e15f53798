/**
 * Verify JWT access tokens on any runtime: `createVerifier`, the typed errors, scope and claim checks, the option and store types.
 *
 * @module @tokengate/core
 */
export * from '../../core/src/index.js';
