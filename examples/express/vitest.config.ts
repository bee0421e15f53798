import { project } from '../../vitest.shared';

const config = project('example-express');

// Vitest hands `ssr.resolve.conditions` to the test workers as Node `--conditions`; with the
// shared `import` among them, Express 5's router `require('is-promise')` gets that package's
// ESM build and crashes. Keep only what Node needs to find our TypeScript sources.
export default {
  ...config,
  ssr: {
    ...config.ssr,
    resolve: { ...config.ssr?.resolve, conditions: ['@tokengate/source', 'node'] },
  },
};
