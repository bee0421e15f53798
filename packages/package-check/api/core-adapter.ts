/**
 * The request protocol, for writing an adapter for a framework: `createGate`, `compileRouteRules` and the request view and responder types.
 *
 * @module @tokengate/core/adapter
 */
export * from '../../core/src/adapter.js';
