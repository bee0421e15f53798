/**
 * A test issuer with a JWKS and discovery server on 127.0.0.1, and minting helpers.
 *
 * @module @tokengate/testing
 */
export * from '../../testing/src/index.js';
