// The `node` export condition of @tokengate/core: the same API as the default entry, with
// `createVerifier` running the node:crypto engine (issue 10).
export * from '../index.js';
export { createVerifier } from './verifier.js';
