import { defineConfig } from 'tsdown';

export default defineConfig({
  // `index` is the runtime-neutral default entry; `node` is the `node` export condition
  // (node:crypto signature step, issue 10). Shared code lands in common chunks.
  entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  external: [/^node:/],
  target: 'es2022',
  clean: true,
});
