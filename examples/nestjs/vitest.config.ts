import swc from 'unplugin-swc';
import { project } from '../../vitest.shared';

export default project('example-nestjs', {
  // Nest reads `emitDecoratorMetadata` output, which only SWC emits under vite.
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
