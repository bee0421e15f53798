import swc from 'unplugin-swc';
import { project } from '../../vitest.shared';

export default project('nestjs', {
  // Nest reads constructor parameter types emitted by `emitDecoratorMetadata`; vite's default
  // transform does not emit them, so tests compile TypeScript with SWC instead.
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
