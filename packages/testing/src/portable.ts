// The runtime-neutral half of @tokengate/testing: keys, minting and forgeries, with no
// `node:*` import, for tests that run on Workers, Deno, Bun or in a browser.
export * from './dpop.js';
export * from './headers.js';
export * from './keys.js';
export * from './mint.js';
export * from './minter.js';
export * from './secret-minter.js';
export * from './tamper.js';
