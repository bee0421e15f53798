import swc from 'unplugin-swc';
import { project } from '../../vitest.shared';

const config = project('example-nestjs', {
  // Nest reads `emitDecoratorMetadata` output, which only SWC emits under vite.
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
// Vitest hands `ssr.resolve.conditions` to Node as `--conditions`; `import` there makes
// CommonJS `require()` load ESM entries (Express 5 → router → is-promise), so keep only ours.
config.ssr = {
  ...config.ssr,
  resolve: {
    ...config.ssr?.resolve,
    conditions: ['@tokengate/source', 'node', 'development|production'],
  },
};
export default config;
