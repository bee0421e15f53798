// The `node` export condition of @tokengate/core: the same API as the default entry, with
// `createVerifier` running the node:crypto engine (see engine.ts).
export * from '../index.js';
export { createVerifier } from './verifier.js';
