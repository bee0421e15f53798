/**
 * The runtime-neutral minting helpers of `@tokengate/testing`, without the server.
 *
 * @module @tokengate/testing/mint
 */
export * from '../../testing/src/portable.js';
