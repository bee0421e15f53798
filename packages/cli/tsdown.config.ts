import { defineConfig } from 'tsdown';

export default defineConfig({
  // `bin` is the `tokengate` command; `index` the same `run()` for programs and tests.
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'node',
  target: 'node20',
  clean: true,
});
