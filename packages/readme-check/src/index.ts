/**
 * The block extraction and type-checking that readme-check runs over the READMEs and docs/,
 * for the private packages that run documentation code themselves (packages/migrations).
 */
export { type BlockResult, type CheckOptions, checkBlocks } from './check.js';
export { type CodeBlock, extractBlocks } from './markdown.js';
export { DOCS_AUDIENCE, DOCS_ISSUER, type Runnable, toRunnable } from './runnable.js';
