import swc from 'unplugin-swc';
import { project } from '../../vitest.shared';

export default project('nestjs-11', {
  // Nest reads `emitDecoratorMetadata` output, which only SWC emits under vite.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  // @tokengate/nestjs's sources sit in packages/nestjs, whose own devDependencies are Nest 12:
  // resolve Nest from this app so the library and the app share one Nest 11, as they do
  // when the package is installed from the registry.
  resolve: {
    dedupe: [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/platform-express',
      '@nestjs/platform-fastify',
    ],
  },
  test: { include: ['test/**/*.test.ts'] },
});
