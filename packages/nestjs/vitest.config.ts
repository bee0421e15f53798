import swc from 'unplugin-swc';
import { project } from '../../vitest.shared';

const config = project('nestjs', {
  // Nest reads constructor parameter types emitted by `emitDecoratorMetadata`; vite's default
  // transform does not emit them, so tests compile TypeScript with SWC instead.
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
// Vitest passes `ssr.resolve.conditions` to Node as `--conditions`; the shared list holds
// `import`, which makes CommonJS `require()` inside Express 5 (router → is-promise) load
// ESM entries. Node adds `import`/`require` by itself, so keep only ours.
config.ssr = {
  ...config.ssr,
  resolve: {
    ...config.ssr?.resolve,
    conditions: ['@tokengate/source', 'node', 'development|production'],
  },
};
export default config;
