export * from './cache.js';
export * from './decode.js';
export * from './errors.js';
export type * from './keys/types.js';
export type * from './options.js';
export * from './scopes.js';
export type * from './types.js';
export * from './verifier.js';
