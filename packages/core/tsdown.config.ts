import { defineConfig } from 'tsdown';

export default defineConfig({
  // `index` is the runtime-neutral default entry; `node` is the `node` export condition
  // (node:crypto signature step); `adapter` is the request protocol for adapter authors.
  // `otel` is the OpenTelemetry receiver, apart so that only its importers load the API.
  // Shared code lands in common chunks, so the entries share one module state.
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    adapter: 'src/adapter.ts',
    otel: 'src/telemetry/otel.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  external: [/^node:/],
  target: 'es2022',
  clean: true,
});
